package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.sut.Pipelines;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under {@code scenarios/} is a test against each pipeline under test (the reference and
 * Debezium): adding a scenario is adding a file. A scenario on the correct reference pipeline must
 * be valid; on Debezium valid, or not applicable with its reason (a crash point of the polling
 * publisher, its send hook). Files that name a known-bad variant ({@code caught-*.yaml}) are the
 * detection matrix's designated cells and run once, in {@code MatrixIT} (under their variant, which
 * must be caught, and under the correct pipeline, which must stay valid); here they are skipped so
 * {@code verify} does not run them twice. Reports go to {@code reports/} at the project root, where
 * CI publishes them.
 */
class ScenariosIT {

  static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  /** Writes reports/index.html and the CI summary over every run, for CI to publish. */
  @AfterAll
  static void writeIndex() {
    ReportIndex.write(projectDir().resolve("reports"));
  }

  /** The pipelines every general scenario runs against. */
  static final List<String> PIPELINES = List.of(Pipelines.REFERENCE, Pipelines.DEBEZIUM);

  @TestFactory
  Stream<DynamicTest> everyScenarioFile() {
    Path dir = projectDir().resolve("scenarios");
    List<Path> files = ScenarioLoader.files(dir);
    assertThat(files).as("scenario files under %s", dir).isNotEmpty();
    return files.stream().flatMap(file -> PIPELINES.stream().map(pipeline -> test(file, pipeline)));
  }

  /**
   * One general scenario on one pipeline: the reference must be valid; any other pipeline valid or
   * not applicable with its reason (never silently valid, never a failure).
   */
  private static DynamicTest test(Path file, String pipeline) {
    return DynamicTest.dynamicTest(
        file.getFileName() + " [" + pipeline + "]",
        file.toUri(),
        () -> {
          Scenario scenario = ScenarioLoader.load(file);
          Assumptions.assumeTrue(
              scenario.variant().isEmpty(),
              "names variant "
                  + scenario.variant().map(Variant::cliName).orElse("")
                  + ": run by MatrixIT");
          Assumptions.assumeTrue(
              !scenario.pipeline().settings().containsKey("known_bad"),
              "names a known-bad pipeline setup: run by DebeziumKnownBadIT");
          ScenarioRunner runner =
              new ScenarioRunner(
                  RunOptions.defaults(projectDir().resolve("reports"))
                      .withPipeline(Optional.of(Pipelines.resolve(pipeline))));
          RunOutcome outcome = runner.run(scenario);
          String evidence =
              outcome.verdict().results().stream()
                  .filter(r -> r.verdict() != Verdict.VALID)
                  .map(ScenariosIT::describe)
                  .collect(Collectors.joining("\n"));
          if (outcome.verdict().overall() == Verdict.NOT_APPLICABLE) {
            assertThat(pipeline)
                .as("every scenario applies to the reference pipeline; %s", evidence)
                .isNotEqualTo(Pipelines.REFERENCE);
            assertThat(evidence).as("a not-applicable run says why").contains("needs");
            return;
          }
          assertThat(outcome.verdict().overall())
              .as(
                  "correct pipeline %s under %s must be valid; report %s\n%s",
                  pipeline, file, outcome.runDir(), evidence)
              .isEqualTo(Verdict.VALID);
        });
  }

  private static String describe(CheckResult r) {
    return "  "
        + r.invariant()
        + ": "
        + r.verdict()
        + " "
        + r.summary()
        + "\n    "
        + String.join("\n    ", r.evidence());
  }
}
