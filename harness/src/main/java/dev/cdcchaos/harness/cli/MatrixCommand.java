package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.matrix.Cell;
import dev.cdcchaos.harness.matrix.DetectionMatrix;
import dev.cdcchaos.harness.matrix.MatrixResult;
import dev.cdcchaos.harness.report.FaultCoverage;
import dev.cdcchaos.harness.report.MatrixReport;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdc-chaos matrix}: runs every known-bad variant and the correct pipeline against the
 * scenario files and shows which scenario catches which variant, with which invariant, how fast.
 */
@Command(
    name = "matrix",
    mixinStandardHelpOptions = true,
    description = {
      "Runs every known-bad pipeline variant (and the correct pipeline) against scenario files and"
          + " prints the detection matrix: each cell caught (by which invariants) / missed /"
          + " error; the correct row must be all valid. Writes matrix.md, matrix.html and"
          + " matrix.json to --reports, and each run's report below it.",
      "By default the scenarios are every file under --scenarios that does not name a variant"
          + " itself; --designated runs instead the files that do, each under its own variant"
          + " and under the correct pipeline.",
      "Exit 0 when every variant is caught by at least one scenario and the correct pipeline"
          + " passes all, 1 otherwise, 2 on bad input."
    })
public final class MatrixCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InfraOption infra;

  @Option(
      names = "--scenarios",
      defaultValue = "scenarios",
      paramLabel = "DIR",
      description = "Scenario folder (default: ${DEFAULT-VALUE}).")
  Path scenariosDir;

  @Option(
      names = "--files",
      arity = "1..*",
      paramLabel = "FILE",
      description = "Run these scenario files instead of the folder's.")
  List<Path> files = new ArrayList<>();

  @Option(
      names = "--variants",
      split = ",",
      paramLabel = "NAME",
      description = "Only these known-bad variants (comma-separated; default: all).")
  List<String> variants = new ArrayList<>();

  @Option(
      names = "--designated",
      description =
          "Run the scenario files that name a variant, each under its variant and under the"
              + " correct pipeline (the fast subset MatrixIT asserts).")
  boolean designated;

  @Option(
      names = "--until-caught",
      description = "Skip a variant's remaining scenarios once one caught it.")
  boolean untilCaught;

  @Option(
      names = "--reports",
      defaultValue = "reports",
      paramLabel = "DIR",
      description = "Where the matrix and the run reports go (default: ${DEFAULT-VALUE}).")
  Path reportsDir;

  @Option(
      names = "--verbose",
      description = "Print every run's progress too (default: only to DIR/matrix.log).")
  boolean verbose;

  @Override
  public Integer call() {
    List<Variant> rows = parseVariants(variants);
    List<Scenario> scenarios = ScenarioLoader.loadFiles(sourceFiles());
    List<DetectionMatrix.Job> jobs;
    if (designated) {
      jobs =
          DetectionMatrix.designated(
              scenarios.stream()
                  .filter(s -> s.variant().isPresent() && rows.contains(s.variant().get()))
                  .toList());
    } else {
      List<Scenario> columns =
          files.isEmpty()
              // a file that expects invalid (a loss no pipeline prevents) would "catch" every
              // variant and fail the correct pipeline: it is no column of the matrix
              ? scenarios.stream()
                  .filter(s -> s.variant().isEmpty() && !s.expect().expectsInvalid())
                  .toList()
              : scenarios;
      jobs = DetectionMatrix.crossProduct(rows, columns);
    }
    if (jobs.isEmpty()) {
      throw new BadInputException(
          "no scenarios to run: "
              + (designated
                  ? "no file names one of the chosen variants"
                  : "every file names a variant itself (use --designated or --files)"));
    }
    PrintWriter out = spec.commandLine().getOut();
    Path log = reportsDir.resolve("matrix.log");
    try {
      Files.createDirectories(reportsDir);
      Files.writeString(log, "", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + log, e);
    }
    Consumer<String> runProgress = line -> append(log, line, verbose ? out : null);
    Consumer<String> matrixProgress =
        line -> {
          append(log, line, null);
          out.println(line);
          out.flush();
        };
    out.printf(
        Locale.ROOT,
        "detection matrix: %d runs (run logs: %s)%n",
        jobs.size(),
        log.toAbsolutePath());
    RunOptions options =
        RunOptions.defaults(reportsDir)
            .withInfrastructure(infra.select())
            .withProgress(runProgress);
    MatrixResult result =
        new DetectionMatrix(
                DetectionMatrix.Runs.of(options), matrixProgress, System::nanoTime, untilCaught)
            .run(jobs, partial -> MatrixReport.write(reportsDir, partial));
    Path html = MatrixReport.write(reportsDir, result);
    ReportIndex.write(reportsDir);
    print(out, result);
    out.println();
    out.print(FaultCoverage.ofReports(reports(result)).render());
    out.printf("%n%s%nmatrix: %s%n", MatrixReport.headline(result), html.toAbsolutePath());
    out.flush();
    return result.ok() ? Main.OK : Main.INVALID;
  }

  /** The reports of the cells that left one (a cell whose run broke has none). */
  static List<RunReport> reports(MatrixResult result) {
    List<RunReport> reports = new ArrayList<>();
    for (Cell cell : result.cells()) {
      cell.runDir()
          .ifPresent(
              dir -> {
                try {
                  reports.add(ReportWriter.read(Path.of(dir)));
                } catch (UncheckedIOException e) {
                  // no results.json: the run broke before its report; the cell says so already
                }
              });
    }
    return reports;
  }

  private List<Path> sourceFiles() {
    if (!files.isEmpty()) {
      for (Path f : files) {
        if (!Files.isRegularFile(f)) {
          throw new BadInputException("no scenario file " + f.toAbsolutePath());
        }
      }
      return files;
    }
    return ScenarioLoader.files(scenariosDir);
  }

  static List<Variant> parseVariants(List<String> names) {
    if (names.isEmpty()) {
      return DetectionMatrix.knownBad();
    }
    List<Variant> out = new ArrayList<>();
    for (String n : names) {
      Variant v;
      try {
        v = Variant.parse(n.trim());
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--variants: " + e.getMessage());
      }
      if (v != Variant.CORRECT && !out.contains(v)) {
        out.add(v);
      }
    }
    return out;
  }

  /** The matrix as a console table: one row per variant, one numbered column per scenario. */
  static void print(PrintWriter out, MatrixResult m) {
    out.println();
    out.println("scenarios:");
    for (int i = 0; i < m.scenarios().size(); i++) {
      out.printf(Locale.ROOT, "  %2d  %s%n", i + 1, m.scenarios().get(i));
    }
    out.println();
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-30s", "variant"));
    for (int i = 0; i < m.scenarios().size(); i++) {
      head.append(String.format(Locale.ROOT, "%3d", i + 1));
    }
    out.println(head);
    for (Variant v : m.variants()) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-30s", v.cliName()));
      for (String s : m.scenarios()) {
        row.append(String.format(Locale.ROOT, "%3s", m.cell(v, s).map(c -> mark(c)).orElse("-")));
      }
      out.println(row);
    }
    out.println(
        "  X caught  . missed  V valid  F failed (correct pipeline)  ? unknown  E error  - not"
            + " run");
    out.println();
    out.println("time to detection (first scenario in column order that caught the variant):");
    for (String tier : MatrixReport.TIERS) {
      List<Variant> inTier = m.knownBad(tier);
      if (inTier.isEmpty()) {
        continue;
      }
      out.println(" " + MatrixReport.tierTitle(tier));
      for (Variant v : inTier) {
        Optional<Cell> d = m.detection(v);
        out.printf(
            Locale.ROOT,
            "  %-32s %s%s%n",
            v.cliName(),
            d.map(
                    c ->
                        String.format(
                            Locale.ROOT,
                            "%6.1f s  %s via %s  (caught in %d/%d)",
                            c.wallMs() / 1000.0,
                            c.scenario(),
                            String.join(", ", c.invariants()),
                            m.caughtCount(v),
                            m.ranCount(v)))
                .orElse("ESCAPED (caught in 0/" + m.ranCount(v) + ")"),
            v.imitates().map(r -> "  [" + r + "]").orElse(""));
      }
    }
  }

  private static String mark(Cell c) {
    return switch (c.status()) {
      case CAUGHT -> "X";
      case MISSED -> ".";
      case VALID -> "V";
      case FAILED -> "F";
      case UNKNOWN -> "?";
      case ERROR -> "E";
    };
  }

  private static void append(Path log, String line, PrintWriter echo) {
    try {
      Files.writeString(
          log, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the log is a convenience; the console still shows the matrix
    }
    if (echo != null) {
      echo.println(line);
      echo.flush();
    }
  }
}
