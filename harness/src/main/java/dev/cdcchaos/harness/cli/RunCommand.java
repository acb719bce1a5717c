package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.FaultCoverage;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cdc-chaos run FILE... | --all}: runs scenario files on the chosen infrastructure (local by
 * default) and reports their verdicts.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs scenario files end to end on Postgres + Kafka + Toxiproxy API (local unless --infra) and checks every invariant.",
      "Exit 0 when every verdict is valid or not-applicable, 1 when a verdict is invalid or unknown (with",
      "--variant NAME: 1 means the harness caught the known-bad pipeline), 2 on bad input. A scenario that",
      "needs what the pipeline under test lacks is NOT-APPLICABLE with the reason: no failure, never counted valid."
    })
public final class RunCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "0..*", description = "Scenario files (YAML).")
  List<Path> files = new ArrayList<>();

  @Option(names = "--all", description = "Run every file under --scenarios.")
  boolean all;

  @Option(
      names = "--scenarios",
      defaultValue = "scenarios",
      description = "Scenario folder for --all (default: ${DEFAULT-VALUE}).")
  Path scenariosDir;

  @Option(
      names = "--variant",
      description = "Run against a known-bad pipeline variant, e.g. offset-before-write.")
  String variant;

  @Option(
      names = "--pipeline",
      paramLabel = "NAME|FILE",
      description =
          "The pipeline under test for every file: reference, debezium, or a pipeline description"
              + " file (docs/pipeline-contract.md); overrides the files' own pipeline.")
  String pipeline;

  @Option(
      names = "--repeat",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Run the files N times over (default: ${DEFAULT-VALUE}) and stop at the first verdict that"
              + " is not valid: for hunting a failure that shows once in many runs.")
  int repeat;

  @Mixin InfraOption infra;

  @Option(
      names = "--reports",
      defaultValue = "reports",
      description = "Where reports go (default: ${DEFAULT-VALUE}).")
  Path reportsDir;

  @Override
  public Integer call() {
    if (all == !files.isEmpty()) {
      throw new BadInputException("give scenario FILEs or --all (not both, not neither)");
    }
    List<Path> toRun = all ? ScenarioLoader.files(scenariosDir) : files;
    if (toRun.isEmpty()) {
      throw new BadInputException("no scenario files found under " + scenariosDir.toAbsolutePath());
    }
    Optional<Variant> v;
    try {
      v = Optional.ofNullable(variant).map(Variant::parse);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage());
    }
    if (repeat < 1) {
      throw new BadInputException("--repeat must be at least 1, was " + repeat);
    }
    List<Scenario> scenarios = ScenarioLoader.loadFiles(toRun);
    RunOptions options =
        RunOptions.defaults(reportsDir)
            .withInfrastructure(infra.select())
            .withVariant(v)
            .withPipeline(
                Optional.ofNullable(pipeline).map(dev.cdcchaos.harness.sut.Pipelines::resolve));
    if (repeat == 1) {
      return runAll(scenarios, options, reportsDir);
    }
    return repeat(scenarios, options, reportsDir, repeat);
  }

  /**
   * Runs the scenarios {@code times} times over, stopping at the first run that is not valid (or
   * that breaks), and says how many runs were valid before it.
   */
  static int repeat(List<Scenario> scenarios, RunOptions options, Path reportsDir, int times) {
    ScenarioRunner runner = new ScenarioRunner(options);
    int total = times * scenarios.size();
    int done = 0;
    long t0 = System.nanoTime();
    try {
      for (int round = 1; round <= times; round++) {
        for (Scenario scenario : scenarios) {
          done++;
          System.out.printf("%n[run %d/%d, round %d] %s%n", done, total, round, scenario.name());
          RunOutcome o;
          try {
            o = runner.run(scenario);
          } catch (BadInputException e) {
            throw e;
          } catch (RuntimeException e) {
            e.printStackTrace();
            System.out.printf(
                "%nRepeat stopped: run %d of %d (%s) broke: %s; the %d runs before it were valid.%n",
                done, total, scenario.name(), e, done - 1);
            return Main.INVALID;
          }
          if (!o.asExpected()) {
            System.out.printf(
                "%nRepeat stopped: run %d of %d (%s) is %s (%s); the %d runs before it were"
                    + " as expected.%n",
                done, total, scenario.name(), o.verdict().overall(), o.runDir(), done - 1);
            return Main.INVALID;
          }
        }
      }
    } finally {
      ReportIndex.write(reportsDir);
    }
    System.out.printf(
        "%nRepeat: all %d runs %s (%.1f min).%n",
        total,
        scenarios.stream().anyMatch(s -> s.expect().expectsInvalid())
            ? "as expected (valid, or invalid where the file expects it, with every fault taking"
                + " effect)"
            : "valid",
        (System.nanoTime() - t0) / 60e9);
    return Main.OK;
  }

  /** Runs the scenarios one after the other, prints a summary and returns the exit code. */
  static int runAll(List<Scenario> scenarios, RunOptions options, Path reportsDir) {
    ScenarioRunner runner = new ScenarioRunner(options);
    List<RunOutcome> outcomes = new ArrayList<>();
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < scenarios.size(); i++) {
      Scenario scenario = scenarios.get(i);
      System.out.printf("%n[%d/%d] %s%n", i + 1, scenarios.size(), scenario.name());
      try {
        outcomes.add(runner.run(scenario));
      } catch (BadInputException e) {
        throw e;
      } catch (RuntimeException e) {
        // one broken run must not hide the verdicts of the others
        e.printStackTrace();
        errors.add(scenario.name() + ": " + e);
      }
    }
    ReportIndex.write(reportsDir);
    System.out.printf("%nSummary (%s):%n", reportsDir.resolve("index.html"));
    boolean allValid = true;
    int notApplicable = 0;
    int expectedInvalid = 0;
    for (RunOutcome o : outcomes) {
      boolean expected = o.scenario().expect().expectsInvalid() && o.asExpected();
      if (expected && o.verdict().overall() == Verdict.INVALID) {
        expectedInvalid++;
      }
      System.out.printf(
          "  %-14s %-45s %-10s %-22s %s%n",
          o.verdict().overall().label() + (expected ? "*" : ""),
          o.scenario().name(),
          o.pipeline(),
          o.variant().cliName(),
          o.runDir());
      if (o.verdict().overall() == Verdict.NOT_APPLICABLE) {
        notApplicable++;
        o.verdict().results().stream()
            .filter(r -> r.verdict() == Verdict.NOT_APPLICABLE)
            .findFirst()
            .ifPresent(r -> System.out.printf("  %-14s   %s%n", "", r.summary()));
      }
      allValid &= o.asExpected();
    }
    if (expectedInvalid > 0) {
      System.out.printf(
          "  * invalid as its file expects (expect.verdict: invalid), every fault having taken"
              + " effect: not a failure%n");
    }
    if (notApplicable > 0) {
      System.out.printf(
          "  %d of %d not applicable to the pipeline under test or the infrastructure: not failures,"
              + " and not counted as valid.%n",
          notApplicable, outcomes.size());
    }
    for (String error : errors) {
      System.out.printf("  %-8s %s%n", "ERROR", error);
    }
    if (scenarios.size() > 1) {
      System.out.println();
      System.out.print(
          FaultCoverage.ofReports(outcomes.stream().map(RunOutcome::report).toList()).render());
    }
    return allValid && errors.isEmpty() ? Main.OK : Main.INVALID;
  }
}
