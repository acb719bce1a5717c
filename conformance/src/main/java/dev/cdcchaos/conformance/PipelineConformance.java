package dev.cdcchaos.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.sut.PipelineDescription;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The conformance kit: extend it with your pipeline's description and every general scenario file
 * runs against your pipeline as one test each, on real Postgres, Kafka and fault proxies that the
 * harness starts on loopback. A run must be VALID, or NOT-APPLICABLE with the reason (a capability
 * your description does not declare); INVALID and UNKNOWN fail the test with the invariants and the
 * report's path. A run whose only flaw is that a scheduled fault did not take effect (it proved
 * nothing either way) is run again, up to {@link #TRIES} runs in all, and the last run is judged.
 *
 * <pre>
 * class MyPipelineConformanceIT extends PipelineConformance {
 *   protected PipelineDescription pipeline() {
 *     return Pipelines.load(Path.of("src/test/resources/my-pipeline.yaml"));
 *   }
 * }
 * </pre>
 *
 * <p>Files that name a known-bad {@code variant} or a known-bad setup ({@code known_bad}) are
 * skipped: they must fail by design. {@code -Dcdcchaos.scenarios=a,b} runs only those files (by
 * name). Reports go to {@link #reportsDir()}, with an index over them after the last test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.extension.ExtendWith(RunReportAttachments.class)
public abstract class PipelineConformance {

  /** The pipeline under test. */
  protected abstract PipelineDescription pipeline();

  /**
   * The scenario files: by default the ones shipped in this kit's jar (the project's {@code
   * scenarios/} at the version you depend on).
   */
  protected List<Path> scenarioFiles() {
    return ScenarioLoader.files(bundledScenarios());
  }

  /** Where the run folders go; {@code target/cdc-chaos-reports} by default. */
  protected Path reportsDir() {
    return Path.of("target", "cdc-chaos-reports").toAbsolutePath();
  }

  /** A run that may only be valid, because the pipeline declares every capability it needs. */
  protected boolean mayBeNotApplicable(Scenario scenario) {
    return true;
  }

  @AfterAll
  void writeIndex() {
    ReportIndex.write(reportsDir());
  }

  @TestFactory
  Stream<DynamicTest> everyScenarioFile() {
    PipelineDescription pipeline = pipeline();
    List<Path> files = scenarioFiles();
    assertThat(files).as("scenario files").isNotEmpty();
    Set<String> only =
        Arrays.stream(System.getProperty("cdcchaos.scenarios", "").split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .collect(Collectors.toSet());
    return files.stream()
        .filter(f -> only.isEmpty() || only.contains(stem(f)))
        .map(
            file ->
                DynamicTest.dynamicTest(
                    stem(file) + " [" + pipeline.name() + "]",
                    file.toUri(),
                    () -> runOne(pipeline, file)));
  }

  private void runOne(PipelineDescription pipeline, Path file) {
    Scenario scenario = ScenarioLoader.load(file);
    Assumptions.assumeTrue(
        scenario.variant().isEmpty(), "names a known-bad variant: it must fail by design");
    Assumptions.assumeTrue(
        !scenario.pipeline().settings().containsKey("known_bad"),
        "names a known-bad pipeline setup: it must fail by design");
    ScenarioRunner runner =
        new ScenarioRunner(RunOptions.defaults(reportsDir()).withPipeline(Optional.of(pipeline)));
    RunOutcome outcome = runner.run(scenario);
    RunReportAttachments.attach(outcome.runDir(), pipeline().name() + "-first");
    for (int retry = 1; retry < TRIES && onlyFaultsMissed(outcome); retry++) {
      // the schedule did not bite (a crash point passed before it was armed): the run proved
      // nothing either way, so it gets another chance; its report stays beside the new one
      System.out.printf(
          "%s on %s: a fault did not take effect (%s); running it once more%n",
          scenario.name(), pipeline.name(), outcome.runDir());
      outcome = runner.run(scenario);
      RunReportAttachments.attach(
          outcome.runDir(), pipeline().name() + (retry == 1 ? "-second" : "-third"));
    }
    String evidence =
        outcome.verdict().results().stream()
            .filter(r -> r.verdict() != Verdict.VALID)
            .map(PipelineConformance::describe)
            .collect(Collectors.joining("\n"));
    if (outcome.verdict().overall() == Verdict.NOT_APPLICABLE) {
      assertThat(mayBeNotApplicable(scenario))
          .as("%s must apply to %s:\n%s", scenario.name(), pipeline.name(), evidence)
          .isTrue();
      assertThat(evidence).as("a not-applicable run names what it needs").contains("needs");
      return;
    }
    if (scenario.expect().expectsInvalid()) {
      assertThat(outcome.asExpected())
          .as(
              "%s under %s expects invalid (a loss no pipeline can prevent) with every fault taking"
                  + " effect, was %s; report %s\n%s",
              pipeline.name(), file, outcome.verdict().overall(), outcome.runDir(), evidence)
          .isTrue();
      return;
    }
    assertThat(outcome.verdict().overall())
        .as(
            "%s under %s must be valid; report %s\n%s",
            pipeline.name(), file, outcome.runDir(), evidence)
        .isEqualTo(Verdict.VALID);
  }

  /**
   * How many times a file is run while the only thing not valid is a fault that did not take
   * effect. Two were not enough for consumer-crash-after-warehouse on Debezium in two CI runs on
   * 2026-12-03 (its second crash is armed by a count of applied events that a restarted consumer
   * catching up in bursts can pass between two looks of the harness).
   */
  static final int TRIES = 3;

  /** Whether the only thing not valid is that a scheduled fault did not take effect. */
  static boolean onlyFaultsMissed(RunOutcome outcome) {
    return outcome.onlyFaultsMissed();
  }

  private static String stem(Path file) {
    String n = file.getFileName().toString();
    return n.substring(0, n.lastIndexOf('.'));
  }

  private static String describe(CheckResult r) {
    return "  "
        + r.invariant()
        + ": "
        + r.verdict().label()
        + " "
        + r.summary()
        + "\n    "
        + String.join("\n    ", r.evidence());
  }

  /**
   * The scenario files shipped in this jar ({@code cdc-chaos/scenarios/}), copied to a temporary
   * folder when they are inside a jar.
   */
  static Path bundledScenarios() {
    URL url = PipelineConformance.class.getClassLoader().getResource("cdc-chaos/scenarios");
    if (url == null) {
      throw new IllegalStateException("the kit's jar has no cdc-chaos/scenarios folder");
    }
    try {
      if (url.getProtocol().equals("file")) {
        return Path.of(url.toURI());
      }
      Path dir = Files.createTempDirectory("cdc-chaos-scenarios");
      try (FileSystem jar = FileSystems.newFileSystem(url.toURI(), Map.of());
          Stream<Path> files = Files.list(jar.getPath("cdc-chaos/scenarios"))) {
        for (Path f : files.toList()) {
          try (InputStream in = Files.newInputStream(f)) {
            Files.copy(in, dir.resolve(f.getFileName().toString()));
          }
        }
      }
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the kit's scenario files", e);
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad scenario folder URL " + url, e);
    }
  }
}
