package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FaultCoverageTest {

  private static FaultEffect effect(String kind, String point, boolean took) {
    return new FaultEffect(0, kind, kind, "t", point, false, true, took, "e", Map.of());
  }

  @Test
  void countsRunsAndFaultsPerKindAndPerCrashPoint() {
    List<FaultEffect> run1 =
        List.of(
            effect("partition", null, true),
            effect("partition", null, false),
            effect("crash", "consumer.after-lake", true));
    List<FaultEffect> run2 =
        List.of(effect("partition", null, true), effect("crash", "consumer.mid-batch", false));
    FaultCoverage c = FaultCoverage.of(List.of(run1, run2, List.of()));

    assertThat(c.runs()).isEqualTo(3);
    assertThat(c.rows())
        .as("every kind and every crash point is listed, scheduled or not")
        .hasSize(Fault.KINDS.size() + CrashPoints.ALL.size());
    assertThat(row(c, "partition"))
        .as("2 runs scheduled it; it bit every time in run 2 only; 2 of 3 partitions bit")
        .isEqualTo(new FaultCoverage.Row("partition", 2, 1, 3, 2));
    assertThat(row(c, "crash")).isEqualTo(new FaultCoverage.Row("crash", 2, 1, 2, 1));
    assertThat(row(c, "crash at consumer.after-lake"))
        .isEqualTo(new FaultCoverage.Row("crash at consumer.after-lake", 1, 1, 1, 1));
    assertThat(row(c, "crash at consumer.mid-batch"))
        .isEqualTo(new FaultCoverage.Row("crash at consumer.mid-batch", 1, 0, 1, 0));
    assertThat(row(c, "kill")).isEqualTo(new FaultCoverage.Row("kill", 0, 0, 0, 0));
    assertThat(c.gaps())
        .extracting(FaultCoverage.Row::fault)
        .containsExactly("partition", "crash", "crash at consumer.mid-batch");

    String table = c.render();
    assertThat(table).startsWith("Fault coverage over 3 run(s)");
    assertThat(table.lines().filter(l -> l.contains("partition")).findFirst().orElseThrow())
        .matches("  partition +2 +1 +3 +2   <- did not always bite");
    assertThat(table).contains("crash at publisher.before-mark");
  }

  private static FaultCoverage.Row row(FaultCoverage c, String fault) {
    return c.rows().stream().filter(r -> r.fault().equals(fault)).findFirst().orElseThrow();
  }
}
