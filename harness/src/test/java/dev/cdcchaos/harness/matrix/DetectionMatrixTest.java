package dev.cdcchaos.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DetectionMatrixTest {

  private static final Scenario DUPS = scenario("dups");
  private static final Scenario CRASH = scenario("crash");

  private static Scenario scenario(String name) {
    return Scenario.of(name, 1, WorkloadSpec.of(10), List.of());
  }

  private static RunVerdict verdict(Verdict overall, String... invariants) {
    List<CheckResult> results = new ArrayList<>();
    for (String i : invariants) {
      results.add(new CheckResult(i, overall, i + " broke", List.of(), Map.of()));
    }
    results.add(new CheckResult("liveness", Verdict.VALID, "fine", List.of(), Map.of()));
    return new RunVerdict(overall, results);
  }

  /** A fake run: no-version-guard is caught only by "dups", everything else is valid. */
  private static DetectionMatrix.Runs.Ran fake(Variant v, Scenario s) {
    RunVerdict verdict =
        v == Variant.NO_VERSION_GUARD && s.name().equals("dups")
            ? verdict(Verdict.INVALID, "converged", "accounting")
            : verdict(Verdict.VALID);
    return new DetectionMatrix.Runs.Ran(verdict, Path.of("reports", s.name(), "run"));
  }

  private static DetectionMatrix matrix(DetectionMatrix.Runs runs, boolean untilCaught) {
    AtomicLong clock = new AtomicLong();
    // every reading of the clock advances it by one second: a run takes 1 s
    return new DetectionMatrix(
        runs, line -> {}, () -> clock.addAndGet(1_000_000_000L), untilCaught);
  }

  @Test
  void crossProductRunsTheCorrectRowFirstThenEachVariant() {
    List<DetectionMatrix.Job> jobs =
        DetectionMatrix.crossProduct(List.of(Variant.NO_VERSION_GUARD), List.of(DUPS, CRASH));
    assertThat(jobs)
        .as("correct row first, then the variant's row, scenarios in the given order")
        .extracting(j -> j.variant().cliName() + "/" + j.scenario().name())
        .containsExactly(
            "correct/dups", "correct/crash", "no-version-guard/dups", "no-version-guard/crash");
  }

  @Test
  void designatedRunsEachNamedScenarioUnderItsVariantAndUnderTheCorrectPipeline() {
    Scenario named = DUPS.withVariant(Optional.of(Variant.NO_VERSION_GUARD));
    List<DetectionMatrix.Job> jobs = DetectionMatrix.designated(List.of(named, CRASH));
    assertThat(jobs)
        .as("a scenario without a variant is not designated; a named one runs twice")
        .extracting(j -> j.variant().cliName() + "/" + j.scenario().name())
        .containsExactly("no-version-guard/dups", "correct/dups");
  }

  @Test
  void aVariantIsCaughtWhenSomeScenarioIsInvalidAndTheCorrectRowPasses() {
    MatrixResult m =
        matrix(DetectionMatrixTest::fake, false)
            .run(
                DetectionMatrix.crossProduct(
                    List.of(Variant.NO_VERSION_GUARD), List.of(CRASH, DUPS)),
                partial -> {});
    assertThat(m.cell(Variant.NO_VERSION_GUARD, "dups").orElseThrow().status())
        .as("invalid verdict on a known-bad variant means caught")
        .isEqualTo(Cell.Status.CAUGHT);
    assertThat(m.cell(Variant.NO_VERSION_GUARD, "dups").orElseThrow().invariants())
        .as("the invariants that did not hold, not the ones that did")
        .containsExactly("converged", "accounting");
    assertThat(m.cell(Variant.NO_VERSION_GUARD, "crash").orElseThrow().status())
        .as("valid verdict on a known-bad variant means missed")
        .isEqualTo(Cell.Status.MISSED);
    assertThat(m.cell(Variant.CORRECT, "crash").orElseThrow().status())
        .isEqualTo(Cell.Status.VALID);
    assertThat(m.detection(Variant.NO_VERSION_GUARD).orElseThrow().scenario())
        .as("first catching scenario in column order")
        .isEqualTo("dups");
    assertThat(m.detection(Variant.NO_VERSION_GUARD).orElseThrow().wallMs())
        .as("time to detection is the catching run's wall time")
        .isEqualTo(1000);
    assertThat(m.ok()).as("variant caught and correct valid everywhere").isTrue();
  }

  @Test
  void anEscapedVariantOrAFailingCorrectPipelineFailsTheMatrix() {
    MatrixResult escaped =
        matrix(DetectionMatrixTest::fake, false)
            .run(
                DetectionMatrix.crossProduct(
                    List.of(Variant.NO_VERSION_GUARD, Variant.DLQ_DROPS_BATCH), List.of(DUPS)),
                partial -> {});
    assertThat(escaped.escaped())
        .as("dlq-drops-batch was valid everywhere")
        .containsExactly(Variant.DLQ_DROPS_BATCH);
    assertThat(escaped.ok()).isFalse();

    DetectionMatrix.Runs correctBroken =
        (v, s) -> new DetectionMatrix.Runs.Ran(verdict(Verdict.INVALID, "no-loss"), Path.of("r"));
    MatrixResult failing =
        matrix(correctBroken, false)
            .run(
                DetectionMatrix.crossProduct(List.of(Variant.NO_VERSION_GUARD), List.of(DUPS)),
                partial -> {});
    assertThat(failing.cell(Variant.CORRECT, "dups").orElseThrow().status())
        .as("an invalid correct pipeline is a failure, not a catch")
        .isEqualTo(Cell.Status.FAILED);
    assertThat(failing.correctProblems()).hasSize(1);
    assertThat(failing.ok()).as("the correct pipeline must pass everything").isFalse();
  }

  @Test
  void unknownVerdictsAndBrokenRunsAreNeitherCaughtNorValid() {
    DetectionMatrix.Runs runs =
        (v, s) -> {
          if (v == Variant.CORRECT) {
            throw new IllegalStateException("kafka did not start");
          }
          return new DetectionMatrix.Runs.Ran(verdict(Verdict.UNKNOWN, "liveness"), Path.of("r"));
        };
    MatrixResult m =
        matrix(runs, false)
            .run(
                DetectionMatrix.crossProduct(List.of(Variant.NO_VERSION_GUARD), List.of(DUPS)),
                partial -> {});
    Cell correct = m.cell(Variant.CORRECT, "dups").orElseThrow();
    assertThat(correct.status()).isEqualTo(Cell.Status.ERROR);
    assertThat(correct.error())
        .hasValueSatisfying(e -> assertThat(e).contains("kafka did not start"));
    assertThat(m.cell(Variant.NO_VERSION_GUARD, "dups").orElseThrow().status())
        .as("a run that could not be judged does not count as caught")
        .isEqualTo(Cell.Status.UNKNOWN);
    assertThat(m.escaped()).containsExactly(Variant.NO_VERSION_GUARD);
    assertThat(m.ok()).isFalse();
  }

  @Test
  void untilCaughtSkipsTheRestOfACaughtRow() {
    List<String> ran = new ArrayList<>();
    DetectionMatrix.Runs counting =
        (v, s) -> {
          ran.add(v.cliName() + "/" + s.name());
          return fake(v, s);
        };
    List<MatrixResult> partials = new ArrayList<>();
    MatrixResult m =
        matrix(counting, true)
            .run(
                DetectionMatrix.crossProduct(
                    List.of(Variant.NO_VERSION_GUARD), List.of(DUPS, CRASH)),
                partials::add);
    assertThat(ran)
        .as("no-version-guard is caught by dups, so crash is not run for it")
        .containsExactly("correct/dups", "correct/crash", "no-version-guard/dups");
    assertThat(m.cell(Variant.NO_VERSION_GUARD, "crash")).isEmpty();
    assertThat(m.ranCount(Variant.NO_VERSION_GUARD)).isEqualTo(1);
    assertThat(partials).as("one partial matrix after every run").hasSize(3);
  }
}
