package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.workload.WritersIn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code workload.writers_in}, the writer targets, their crash points and {@code inside}. */
class WriterProcessesLoaderTest {
  private static final String FILE = "scenarios/x.yaml";

  private static final String PROCESSES =
      """
      seed: 7
      workload: { orders: 100, writers: 2, writers_in: processes }
      faults:
      """;

  private static final String JVM =
      """
      seed: 7
      workload: { orders: 100, writers: 2 }
      faults:
      """;

  private static String errorOf(String yaml) {
    try {
      ScenarioLoader.parse(yaml, FILE);
    } catch (ScenarioException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the scenario to be rejected:\n" + yaml);
  }

  @Test
  void writersRunInTheHarnessJvmUnlessTheFileSaysProcesses() {
    assertThat(ScenarioLoader.parse(JVM, FILE).workload().writersIn())
        .as("the default keeps every existing file as it was")
        .isEqualTo(WritersIn.JVM);
    assertThat(ScenarioLoader.parse(PROCESSES, FILE).workload().writersIn())
        .isEqualTo(WritersIn.PROCESSES);
  }

  @Test
  void writerProcessesAreTargetsWithCrashPointsAndACutInsideTheirTransactions() {
    Scenario s =
        ScenarioLoader.parse(
            PROCESSES
                + """
                  - { at: { events_committed: 10 }, crash: writer-0, point: writer.after-orders }
                  - { at: { events_committed: 20 }, crash: writer-1, point: writer.after-outbox }
                  - { at: { events_committed: 30 }, crash: writer-1, point: writer.before-commit }
                  - { at: { events_committed: 40 }, kill: writer-1, for: 1s }
                  - { at: { events_committed: 50 }, pause: writer-0, for: 1s }
                  - { at: { events_committed: 60 }, restart: writer-0 }
                  - { at: { events_committed: 70 }, partition: writer->postgres, mode: down, for: 1s, inside: writer.after-orders }
                """,
            FILE);
    assertThat(s.faults().stream().map(FaultSpec::fault))
        .containsExactly(
            new Fault.Crash(new Target.Writer(0), "writer.after-orders"),
            new Fault.Crash(new Target.Writer(1), "writer.after-outbox"),
            new Fault.Crash(new Target.Writer(1), "writer.before-commit"),
            new Fault.Kill(new Target.Writer(1)),
            new Fault.Pause(new Target.Writer(0)),
            new Fault.Restart(new Target.Writer(0)),
            new Fault.Partition(
                Link.WRITER_POSTGRES,
                Direction.BOTH,
                Fault.PartitionMode.DOWN,
                Optional.of("writer.after-orders")));
    assertThat(ScenarioLoader.parse(ScenarioWriter.toYaml(s), "x.yaml"))
        .as("written back and loaded again, writers_in and inside included")
        .isEqualTo(s);
  }

  @Test
  void writerTargetsNeedWriterProcessesAndExistingNumbers() {
    String msg =
        errorOf(
            JVM
                + """
                  - { at: { after: 1s }, kill: writer-0 }
                  - { at: { after: 1s }, crash: writer-1, point: writer.after-orders }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:32: faults[0].kill: 'writer-0' is a writer process, but the writers"
                + " run in the harness JVM: set workload.writers_in: processes",
            "scenarios/x.yaml:5:33: faults[1].crash: 'writer-1' is a writer process, but the"
                + " writers run in the harness JVM: set workload.writers_in: processes");
    msg =
        errorOf(
            PROCESSES
                + """
                  - { at: { after: 1s }, pause: writer-2, for: 1s }
                  - { at: { after: 1s }, crash: writer-0, point: consumer.after-lake }
                  - { at: { after: 1s }, crash: consumer, point: writer.after-orders }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:33: faults[0].pause: unknown target 'writer-2' (the topology has 2"
                + " writer processs, numbered from 0: set workload.writers), expected one of"
                + " consumer, publisher, postgres, kafka-1, kafka-leader, writer-0, writer-1",
            "scenarios/x.yaml:5:50: faults[1].point: 'consumer.after-lake' is not a crash point of"
                + " the writer, expected one of writer.after-orders, writer.after-outbox,"
                + " writer.before-commit",
            "scenarios/x.yaml:6:50: faults[2].point: 'writer.after-orders' is not a crash point of"
                + " the consumer, expected one of consumer.after-lake, consumer.mid-batch,"
                + " consumer.after-warehouse, consumer.before-offset-commit");
  }

  @Test
  void insideNeedsWriterToPostgresWriterProcessesAndAWriterPoint() {
    String msg =
        errorOf(
            PROCESSES
                + """
                  - { at: { after: 1s }, partition: publisher->postgres, for: 1s, inside: writer.after-orders }
                  - { at: { after: 1s }, partition: writer->postgres, for: 1s, inside: publisher.after-send }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:75: faults[0].inside: only a partition of writer->postgres lands"
                + " inside a writer's transaction, found link publisher->postgres",
            "scenarios/x.yaml:5:72: faults[1].inside: unknown writer's crash point"
                + " 'publisher.after-send', expected one of writer.after-orders,"
                + " writer.after-outbox, writer.before-commit");
    msg =
        errorOf(
            JVM
                + """
                  - { at: { after: 1s }, partition: writer->postgres, for: 1s, inside: writer.after-orders }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:72: faults[0].inside: holding a writer inside its transaction needs"
                + " writer processes: set workload.writers_in: processes");
  }

  @Test
  void faultsOnTheWritersOfTheHarnessJvmAreRejectedWithWriterProcesses() {
    String msg =
        errorOf(
            PROCESSES
                + """
                  - { at: { after: 1s }, slow-commit: 1, for: 1s }
                  - { at: { after: 1s }, clock-skew: forward, for: 1s }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:39: faults[0].slow-commit: slow-commit acts on writers in the"
                + " harness JVM and is not injected into writer processes, expected"
                + " workload.writers_in: jvm for it",
            "scenarios/x.yaml:5:38: faults[1].clock-skew: clock-skew acts on writers in the"
                + " harness JVM and is not injected into writer processes, expected"
                + " workload.writers_in: jvm for it");
  }

  @Test
  void anUnknownPlaceForTheWritersIsNamed() {
    String msg =
        errorOf(
            """
            seed: 7
            workload: { orders: 100, writers_in: threads }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:2:38: workload.writers_in: unknown place for the writers 'threads',"
                + " expected one of jvm, processes");
  }
}
