package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.report.ReportIndex;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdc-chaos report}: the index over all runs and the CI summary, from results.json files.
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuilds index.html and index.md over every run under the reports folder, points each"
          + " scenario's 'latest' link at its newest run, and prints the summary: one row per"
          + " scenario with its verdict and times.",
      "The summary is also appended to --summary FILE, by default $GITHUB_STEP_SUMMARY when set."
    })
public final class ReportCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = "reports",
      paramLabel = "DIR",
      description = "the reports folder (default: ${DEFAULT-VALUE})")
  Path dir;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "append the markdown summary to FILE (default: $GITHUB_STEP_SUMMARY)")
  Path summary;

  @Override
  public Integer call() {
    if (!Files.isDirectory(dir)) {
      throw new BadInputException(
          "no reports folder at "
              + dir.toAbsolutePath()
              + ": run a scenario first (./cdc-chaos run --all)");
    }
    List<ReportIndex.Run> runs = ReportIndex.write(dir);
    String md = ReportIndex.ciSummary(runs.stream().map(ReportIndex.Run::report).toList());
    var out = spec.commandLine().getOut();
    out.print(md);
    out.printf("%nindex: %s (%d runs)%n", dir.resolve("index.html"), runs.size());
    out.flush();
    Path target = summary;
    if (target == null && System.getenv("GITHUB_STEP_SUMMARY") != null) {
      target = Path.of(System.getenv("GITHUB_STEP_SUMMARY"));
    }
    if (target != null) {
      try {
        Files.writeString(
            target,
            md + "\n",
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot append the summary to " + target, e);
      }
    }
    return Main.OK;
  }
}
