package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When a run came out as its file expects. */
class RunOutcomeTest {

  private static final String FILE =
      "seed: 1\n"
          + "topology: { brokers: 3, replication_factor: 2 }\n"
          + "workload: { orders: 10 }\n"
          + "faults:\n"
          + "  - { at: { after: 1s }, unclean-leader-election: 0, for: 2s }\n";

  private static RunOutcome outcome(String expect, Verdict overall, Verdict faults) {
    Scenario s = ScenarioLoader.parse(FILE + expect, "t.yaml");
    List<CheckResult> results =
        List.of(
            new CheckResult("no-loss", overall, "x", List.of(), Map.of()),
            new CheckResult(FaultEffects.CHECK, faults, "x", List.of(), Map.of()));
    return new RunOutcome(
        s,
        Variant.CORRECT,
        new RunVerdict(overall, results),
        null,
        Path.of("r"),
        "reference",
        Map.of());
  }

  @Test
  void aFileExpectingInvalidPassesOnlyWhenInvalidAndItsFaultsTookEffect() {
    String invalid = "expect: { verdict: invalid }\n";
    assertThat(outcome(invalid, Verdict.INVALID, Verdict.VALID).asExpected()).isTrue();
    assertThat(outcome(invalid, Verdict.VALID, Verdict.VALID).asExpected())
        .as("valid: the harness missed the loss")
        .isFalse();
    assertThat(outcome(invalid, Verdict.INVALID, Verdict.UNKNOWN).asExpected())
        .as("invalid, but the fault did not bite: the loss is not the one it made")
        .isFalse();
  }

  @Test
  void anyOtherFileMustBeValid() {
    assertThat(outcome("", Verdict.VALID, Verdict.VALID).asExpected()).isTrue();
    assertThat(outcome("", Verdict.INVALID, Verdict.VALID).asExpected()).isFalse();
  }
}
