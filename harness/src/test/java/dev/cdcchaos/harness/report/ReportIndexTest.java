package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportIndexTest {

  @TempDir Path reports;

  private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");

  private void run(String scenario, Instant at, boolean broken) {
    RunReport r = SampleReports.sample(scenario, at, broken);
    ReportWriter.write(ReportWriter.runDir(reports, scenario, at), r, SampleReports.history());
  }

  @Test
  void indexListsEveryRunAndTheNewestPerScenario() throws Exception {
    run("alpha", T0, true);
    run("alpha", T0.plusSeconds(30), false);
    run("beta", T0.plusSeconds(10), true);
    Files.writeString(reports.resolve("README.md"), "not a run");
    Files.createDirectories(reports.resolve("gamma/broken-run"));
    Files.writeString(reports.resolve("gamma/broken-run/results.json"), "{ half written");

    List<ReportIndex.Run> runs = ReportIndex.write(reports);
    assertThat(runs).as("three readable runs; the half-written one is skipped").hasSize(3);
    assertThat(runs.get(0).report().startedAt()).as("newest first").isEqualTo(T0.plusSeconds(30));

    String html = Files.readString(reports.resolve("index.html"));
    assertThat(html)
        .contains("alpha/20261124-050030-000/report.html")
        .contains("beta/20261124-050010-000/report.html");
    assertThat(html).contains("1 valid · 1 invalid · 0 unknown");
    String md = Files.readString(reports.resolve("index.md"));
    assertThat(md).contains("| started | scenario | verdict | seed | wall time | report |");
    assertThat(md).contains("[report.md](alpha/20261124-050000-000/report.md)");
    assertThat(Files.readSymbolicLink(reports.resolve("alpha/latest")).toString())
        .isEqualTo("20261124-050030-000");
  }

  @Test
  void ciSummaryHasOneLinePerScenarioWithVerdictAndTimes() {
    run("alpha", T0, true);
    run("alpha", T0.plusSeconds(30), false);
    run("beta", T0.plusSeconds(10), true);
    String summary = ReportIndex.ciSummary(reports);
    assertThat(summary)
        .startsWith("### cdc-chaos: 1 valid, 1 invalid, 0 unknown (2 scenarios, 52.8 s in total)");
    List<String> rows =
        summary.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| scenario")).toList();
    assertThat(rows).as("one row per scenario, its newest run").hasSize(2);
    assertThat(rows.get(0)).isEqualTo("| alpha | ✅ valid | 26.4 s | 4.2 s | 91 | 4.1 s |  |");
    assertThat(rows.get(1))
        .isEqualTo(
            "| beta (no-idempotency-ledger) | ❌ invalid | 26.4 s | 4.2 s | 91 | 4.1 s | no-duplicates (invalid), accounting (invalid) |");
    assertThat(summary)
        .as("the evidence of a scenario that is not valid, folded")
        .contains("<details><summary>beta: INVALID</summary>")
        .contains("- **no-duplicates** INVALID:")
        .doesNotContain("<details><summary>alpha");
  }

  @Test
  void theCiSummaryStaysUnderGitHubsCap() {
    List<RunReport> reports = new java.util.ArrayList<>();
    String longLine = "x".repeat(5_000);
    for (int i = 0; i < 400; i++) {
      RunReport r = SampleReports.sample("scenario-" + i, T0.plusSeconds(i), true);
      reports.add(
          new RunReport(
              r.scenario(),
              r.description(),
              r.seed(),
              r.variant(),
              r.startedAt(),
              r.wallTimeMs(),
              r.verdict(),
              List.of(
                  new dev.cdcchaos.harness.check.CheckResult(
                      "no-loss",
                      dev.cdcchaos.harness.check.Verdict.INVALID,
                      "many events lost",
                      java.util.Collections.nCopies(5, longLine),
                      java.util.Map.of())),
              r.counts(),
              r.faults(),
              r.samples(),
              r.convergeTimeMs(),
              r.convergeBoundMs(),
              r.settings(),
              r.effects(),
              r.reads()));
    }
    String summary = ReportIndex.ciSummary(reports);
    assertThat(summary.getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(ReportIndex.SUMMARY_LIMIT_BYTES);
    assertThat(summary.lines().filter(l -> l.startsWith("| scenario-")).count())
        .as("every scenario keeps its row")
        .isEqualTo(400);
    assertThat(summary).contains("more scenarios' evidence left out to stay under GitHub's 1 MiB");
  }

  @Test
  void emptyReportsFolderGivesAnEmptyIndex() throws Exception {
    assertThat(ReportIndex.write(reports)).isEmpty();
    assertThat(Files.readString(reports.resolve("index.html"))).contains("No runs yet");
  }
}
