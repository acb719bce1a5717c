package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.observe.ObservationFile;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code cdc-chaos analyze RUN_DIR}: checks a stored run again from its saved observation, without
 * running anything, and says whether today's checkers reach the verdict the run reached, or what
 * differs.
 */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Re-checks a stored run (reports/<scenario>/<run>) from its saved observation",
      "(observation.json.gz, history.jsonl) with today's checkers, without running it again.",
      "Prints the verdict, and what differs from the one stored in results.json if the checkers",
      "changed since. Exit 0 when the verdict is valid, 1 when invalid or unknown, 2 on bad input."
    })
public final class AnalyzeCommand implements Callable<Integer> {

  @Parameters(paramLabel = "RUN_DIR", description = "A run folder, or a scenario's latest link.")
  Path runDir;

  private final PrintStream out = System.out;

  @Override
  public Integer call() {
    Path dir = runDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(
          runDir + " is not a folder, expected a run folder like reports/<scenario>/<run>");
    }
    if (!Files.isRegularFile(dir.resolve(ReportWriter.RESULTS))) {
      throw new BadInputException(
          runDir + " holds no " + ReportWriter.RESULTS + ": not a run folder of cdc-chaos");
    }
    RunReport stored = ReportWriter.read(dir);
    Observation observation;
    try {
      observation = ObservationFile.read(dir, dir.resolve(ReportWriter.HISTORY));
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          runDir
              + " holds no "
              + ObservationFile.NAME
              + ": the run was made before runs saved their observation; run its scenario again");
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read the observation in " + runDir + ": " + e.getMessage());
    }
    Comparison c = compare(stored, observation);
    out.printf(
        "%s (seed %d, variant %s), run %s%n",
        stored.scenario(), stored.seed(), stored.variant(), stored.startedAt());
    out.printf("stored verdict:   %s%n", stored.verdict());
    out.printf("re-checked:       %s%n", c.verdict().overall());
    for (CheckResult r : c.verdict().results()) {
      out.printf("  %-20s %-8s %s%n", r.invariant(), r.verdict(), r.summary());
    }
    if (c.differences().isEmpty()) {
      out.printf(
          "%nThe checkers of today reach the stored verdict on every one of %d checks.%n",
          c.verdict().results().size());
    } else {
      out.printf("%nThe checkers changed since this run; what differs:%n");
      c.differences().forEach(d -> out.println("  " + d));
    }
    return c.verdict().overall() == Verdict.VALID ? Main.OK : Main.INVALID;
  }

  /** A stored run checked again: the new verdict and how it differs from the stored one. */
  record Comparison(RunVerdict verdict, List<String> differences) {}

  /**
   * Runs the checkers the run ran (by the names in its results), today's versions, and compares
   * them check by check with the stored results.
   */
  static Comparison compare(RunReport stored, Observation observation) {
    Map<String, CheckResult> before = new LinkedHashMap<>();
    for (CheckResult r : stored.checks()) {
      before.put(r.invariant(), r);
    }
    List<String> names = new ArrayList<>();
    List<String> differences = new ArrayList<>();
    for (String name : before.keySet()) {
      if (name.equals(FaultEffects.CHECK)) {
        continue;
      }
      if (Checkers.all().containsKey(name)) {
        names.add(name);
      } else {
        differences.add(name + ": checked then, no such checker today");
      }
    }
    for (String name : Checkers.names()) {
      if (!before.containsKey(name)) {
        differences.add(name + ": a checker of today that this run was not checked by");
      }
    }
    RunVerdict now =
        names.isEmpty()
            ? new RunVerdict(Verdict.UNKNOWN, List.of())
            : FaultEffects.combine(Checkers.run(observation, names), stored.effects());
    for (CheckResult r : now.results()) {
      CheckResult then = before.get(r.invariant());
      if (then == null) {
        continue;
      }
      if (then.verdict() != r.verdict()) {
        differences.add(r.invariant() + ": " + then.verdict() + " then, " + r.verdict() + " now");
      } else if (!Objects.equals(then.summary(), r.summary())) {
        differences.add(
            r.invariant() + ": same verdict, the summary changed: \"" + then.summary() + "\" then");
      }
    }
    if (now.overall() != stored.verdict()) {
      differences.add(0, "overall: " + stored.verdict() + " then, " + now.overall() + " now");
    }
    return new Comparison(now, differences);
  }
}
