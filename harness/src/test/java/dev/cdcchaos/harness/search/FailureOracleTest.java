package dev.cdcchaos.harness.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureOracleTest {
  private static final Scenario S = Scenario.of("s", 1, WorkloadSpec.of(10), List.of());

  private static RunVerdict verdict(Verdict overall, String... failed) {
    List<CheckResult> results = new ArrayList<>();
    for (String f : failed) {
      results.add(new CheckResult(f, overall, f + " broke", List.of(), Map.of()));
    }
    results.add(new CheckResult("converged", Verdict.VALID, "ok", List.of(), Map.of()));
    return new RunVerdict(overall, results);
  }

  private static FailureOracle oracle(List<FailureOracle.Judgement> seen, RunVerdict... verdicts) {
    Deque<RunVerdict> queue = new ArrayDeque<>(List.of(verdicts));
    return new FailureOracle(s -> queue.removeFirst(), seen::add);
  }

  @Test
  void validRunsPassAndTheFirstFailureBecomesTheTarget() {
    List<FailureOracle.Judgement> seen = new ArrayList<>();
    FailureOracle o =
        oracle(seen, verdict(Verdict.VALID), verdict(Verdict.INVALID, "no-duplicates"));

    assertThat(o.test(S)).as("a valid run is not a failure").isFalse();
    assertThat(o.target()).as("nothing failed yet").isEmpty();
    assertThat(o.test(S)).as("an invalid run is a failure").isTrue();
    assertThat(o.target())
        .as("the first failure is the one being hunted")
        .contains(new FailureOracle.Failure(Verdict.INVALID, java.util.Set.of("no-duplicates")));
    assertThat(seen).extracting(FailureOracle.Judgement::fails).containsExactly(false, true);
  }

  @Test
  void unknownCountsAsAFailureAndSaysSo() {
    List<FailureOracle.Judgement> seen = new ArrayList<>();
    FailureOracle o = oracle(seen, verdict(Verdict.UNKNOWN, "liveness"));

    assertThat(o.test(S)).as("a run that could not be observed is never a pass").isTrue();
    assertThat(seen.get(0).why()).contains("unknown").contains("counted as a failure");
  }

  @Test
  void aRunUnknownOnlyBecauseAFaultDidNotTakeEffectIsNoFailure() {
    List<FailureOracle.Judgement> seen = new ArrayList<>();
    FailureOracle o =
        oracle(
            seen,
            verdict(Verdict.UNKNOWN, FaultEffects.CHECK),
            verdict(Verdict.UNKNOWN, FaultEffects.CHECK, "liveness"));

    assertThat(o.test(S)).as("a schedule that proved nothing is not a pipeline failure").isFalse();
    assertThat(o.target()).isEmpty();
    assertThat(seen.get(0).why()).contains("faults did not take effect");
    assertThat(o.test(S))
        .as("with another invariant unknown too, it is a failure as before")
        .isTrue();
  }

  @Test
  void whileShrinkingOnlyTheSameFailureCounts() {
    List<FailureOracle.Judgement> seen = new ArrayList<>();
    FailureOracle o =
        oracle(
            seen,
            verdict(Verdict.INVALID, "no-duplicates", "accounting"),
            verdict(Verdict.UNKNOWN, "liveness"),
            verdict(Verdict.INVALID, "no-loss"),
            verdict(Verdict.INVALID, "accounting", "no-loss"),
            verdict(Verdict.VALID));

    assertThat(o.test(S)).isTrue();
    assertThat(o.test(S)).as("slipping from a duplicate to a run that did not drain").isFalse();
    assertThat(o.test(S)).as("slipping to a different invariant").isFalse();
    assertThat(o.test(S)).as("one of the original invariants fails again").isTrue();
    assertThat(o.test(S)).as("a valid run").isFalse();
    assertThat(seen.get(2).why()).contains("a different failure").contains("no-duplicates");
    assertThat(o.target().orElseThrow().invariants())
        .as("the target does not move")
        .containsExactlyInAnyOrder("no-duplicates", "accounting");
  }
}
