package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.workload.Workload;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

class WorkloadDriverTest {
  private static final WorkloadSpec SPEC = WorkloadSpec.of(4);

  @Test
  void aWriterKilledByAnErrorOutsideTheRetriedWriteIsReportedNotSilent() throws Exception {
    AtomicLong clock = new AtomicLong();
    History history = new History(clock::get);
    // an Error is not a failed write to retry: it escapes the writer's retry loop
    DataSource broken =
        (DataSource)
            Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  throw new AssertionError("harness bug");
                });
    WorkloadDriver driver =
        new WorkloadDriver(
            history, Workload.generate(SPEC, 1), SPEC.writers(), 0, broken, 1, line -> {});
    driver.start();
    assertThat(driver.awaitFinished(10_000)).as("the writers end").isTrue();

    assertThat(driver.committed()).isZero();
    assertThat(driver.failure())
        .as("the run must know its workload did not run as written")
        .hasValueSatisfying(f -> assertThat(f).contains("harness bug"));
    assertThat(history.ops())
        .as("the failure is in the history")
        .anySatisfy(op -> assertThat(op.f()).isEqualTo("failed"));
  }

  @Test
  void aStoppedDriverIsNoFailure() throws Exception {
    AtomicLong clock = new AtomicLong();
    DataSource unused =
        (DataSource)
            Proxy.newProxyInstance(
                DataSource.class.getClassLoader(),
                new Class<?>[] {DataSource.class},
                (proxy, method, args) -> {
                  throw new java.sql.SQLException("down");
                });
    WorkloadDriver driver =
        new WorkloadDriver(
            new History(clock::get),
            Workload.generate(SPEC, 1),
            SPEC.writers(),
            0,
            unused,
            1,
            line -> {});
    driver.start();
    Thread.sleep(300);
    driver.stop();
    assertThat(driver.awaitFinished(10_000)).isTrue();
    assertThat(driver.failure()).as("stop() ends the writers on purpose").isEmpty();
  }
}
