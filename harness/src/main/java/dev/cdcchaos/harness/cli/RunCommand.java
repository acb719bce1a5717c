package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.check.Verdict;
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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cdc-chaos run FILE... | --all}: runs scenario files on local infrastructure and reports
 * their verdicts.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Runs scenario files end to end on local Postgres + Kafka + Toxiproxy API and checks every invariant.",
      "Exit 0 when every verdict is valid, 1 when a verdict is invalid or unknown (with --variant NAME:",
      "1 means the harness caught the known-bad pipeline), 2 on bad input."
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
    List<Scenario> scenarios = ScenarioLoader.loadFiles(toRun);
    return runAll(scenarios, RunOptions.defaults(reportsDir).withVariant(v), reportsDir);
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
    for (RunOutcome o : outcomes) {
      System.out.printf(
          "  %-8s %-45s %-28s %s%n",
          o.verdict().overall(), o.scenario().name(), o.variant().cliName(), o.runDir());
      allValid &= o.verdict().overall() == Verdict.VALID;
    }
    for (String error : errors) {
      System.out.printf("  %-8s %s%n", "ERROR", error);
    }
    return allValid && errors.isEmpty() ? Main.OK : Main.INVALID;
  }
}
