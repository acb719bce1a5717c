package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest extends CliTestBase {
  @Test
  void writesTheIndexAndAppendsTheSummary(@TempDir Path dir) throws Exception {
    Instant t0 = Instant.parse("2026-11-24T06:00:00Z");
    RunReport r =
        new RunReport(
            "kill-consumer",
            "",
            3,
            "correct",
            t0,
            12_000,
            Verdict.INVALID,
            List.of(
                new CheckResult(
                    "no-loss", Verdict.INVALID, "1 event lost", List.of("order 1 ..."), Map.of())),
            null,
            null,
            null,
            null,
            30_000,
            null);
    ReportWriter.write(ReportWriter.runDir(dir, r.scenario(), t0), r, List.of());
    Path summary = dir.resolve("summary.md");
    Files.writeString(summary, "earlier step\n");

    assertThat(run("report", "--dir", dir.toString(), "--summary", summary.toString()))
        .as(err.toString())
        .isEqualTo(Main.OK);
    assertThat(out.toString())
        .contains("| kill-consumer | ❌ invalid | 12.0 s | — | — | — | no-loss (invalid) |")
        .contains("index.html (1 runs)");
    assertThat(dir.resolve("index.html")).isNotEmptyFile();
    assertThat(Files.readString(summary))
        .as("appended, as GitHub's step summary expects")
        .startsWith("earlier step\n### cdc-chaos: 0 valid, 1 invalid");
  }

  @Test
  void missingReportsFolderIsBadInput(@TempDir Path dir) {
    assertThat(run("report", "--dir", dir.resolve("nope").toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("no reports folder at").contains("./cdc-chaos run --all");
  }
}
