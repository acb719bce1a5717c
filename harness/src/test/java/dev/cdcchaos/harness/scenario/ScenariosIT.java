package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file under {@code scenarios/} is a test: adding a scenario is adding a file. A scenario on
 * the correct pipeline must be valid. Files that name a known-bad variant ({@code caught-*.yaml})
 * are the detection matrix's designated cells and run once, in {@code MatrixIT} (under their
 * variant, which must be caught, and under the correct pipeline, which must stay valid); here they
 * are skipped so {@code verify} does not run them twice. Reports go to {@code reports/} at the
 * project root, where CI publishes them.
 */
@org.junit.jupiter.api.extension.ExtendWith(dev.cdcchaos.harness.report.RunReportAttachments.class)
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

  @TestFactory
  Stream<DynamicTest> everyScenarioFile() {
    Path dir = projectDir().resolve("scenarios");
    List<Path> files = ScenarioLoader.files(dir);
    assertThat(files).as("scenario files under %s", dir).isNotEmpty();
    ScenarioRunner runner =
        new ScenarioRunner(RunOptions.defaults(projectDir().resolve("reports")));
    return files.stream()
        .map(
            file ->
                DynamicTest.dynamicTest(
                    file.getFileName().toString(),
                    file.toUri(),
                    () -> {
                      Scenario scenario = ScenarioLoader.load(file);
                      Assumptions.assumeTrue(
                          scenario.variant().isEmpty(),
                          "names variant "
                              + scenario.variant().map(Variant::cliName).orElse("")
                              + ": run by MatrixIT");
                      RunOutcome outcome = runner.run(scenario);
                      dev.cdcchaos.harness.report.RunReportAttachments.attach(
                          outcome.runDir(), outcome.variant().cliName());
                      String evidence =
                          outcome.verdict().results().stream()
                              .filter(r -> r.verdict() != Verdict.VALID)
                              .map(ScenariosIT::describe)
                              .collect(Collectors.joining("\n"));
                      assertThat(outcome.verdict().overall())
                          .as(
                              "correct pipeline under %s must be valid; report %s\n%s",
                              file, outcome.runDir(), evidence)
                          .isEqualTo(Verdict.VALID);
                    }));
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
