package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdcchaos.harness.history.HistoryJsonl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {

  @TempDir Path reports;

  private static final Instant T0 = Instant.parse("2026-11-24T05:00:00Z");

  @Test
  void writesTheFourFilesAndResultsParseBack() throws Exception {
    RunReport report = SampleReports.sample("consumer-crash", T0, true);
    Path run = ReportWriter.runDir(reports, report.scenario(), report.startedAt());
    assertThat(run).isEqualTo(reports.resolve("consumer-crash/20261124-050000-000"));
    Path html = ReportWriter.write(run, report, SampleReports.history());

    assertThat(html).isEqualTo(run.resolve("report.html"));
    for (String f : new String[] {"results.json", "history.jsonl", "report.md", "report.html"}) {
      assertThat(run.resolve(f)).as(f + " is part of every run folder").isNotEmptyFile();
    }
    assertThat(ReportWriter.read(run))
        .as("results.json reads back to the same report")
        .isEqualTo(report);
    JsonNode json = Json.MAPPER.readTree(run.resolve("results.json").toFile());
    assertThat(json.get("startedAt").asText())
        .as("instants are ISO strings")
        .isEqualTo("2026-11-24T05:00:00Z");
    assertThat(json.get("verdict").asText()).isEqualTo("INVALID");
    assertThat(json.get("effects").get(2).get("took_effect").asBoolean())
        .as("each fault says whether it took effect, under the issue's name")
        .isTrue();
    assertThat(json.get("effects").get(3).get("took_effect").asBoolean()).isFalse();
    assertThat(json.get("effects").get(2).get("evidence").asText()).contains("exit 137");
    assertThat(json.get("effects").get(0).has("point")).as("no point but for crashes").isFalse();
    assertThat(HistoryJsonl.read(run.resolve("history.jsonl"))).isEqualTo(SampleReports.history());
  }

  @Test
  void htmlIsSelfContainedWithChartDataAndEveryInvariant() throws Exception {
    RunReport report = SampleReports.sample("consumer-crash", T0, true);
    Path run = ReportWriter.runDir(reports, report.scenario(), report.startedAt());
    String html = Files.readString(ReportWriter.write(run, report, SampleReports.history()));

    assertThat(html).as("Chart.js is inlined from the webjar").contains("Chart.js v4.4.9");
    assertThat(html)
        .as("nothing is loaded from a network")
        .doesNotContain("<script src")
        .doesNotContain("<link ");
    assertThat(html).contains("const DATA = {");
    assertThat(html)
        .as("chart data: the fault timeline, lag and throughput series, stage and outcome bars")
        .contains("\"label\":\"partition consumer->kafka\"")
        .contains("\"lag\":[")
        .contains("\"applied\":[")
        .contains("\"stageLabels\":[\"committed\",\"published\",\"in lake\",\"applied\"")
        .contains("\"outcomeLabels\":[\"delivered-once (1880)\"");
    assertThat(html)
        .contains(
            "id=\"timeline\"",
            "id=\"lag\"",
            "id=\"throughput\"",
            "id=\"stages\"",
            "id=\"outcomes\"");
    for (String invariant : SampleReports.INVARIANTS) {
      assertThat(html).as("the verdicts table names " + invariant).contains(">" + invariant + "<");
    }
    assertThat(html)
        .as("the evidence is listed, HTML-escaped")
        .contains("<li>customer 7: expected 3 orders / 4500 cents");
    assertThat(html).contains("<span class=\"badge invalid\">invalid</span>");
    assertThat(html)
        .as("the fault evidence table")
        .contains("Did each fault take effect?")
        .contains("<span class=\"badge valid\">yes</span>")
        .contains("<span class=\"badge unknown\">no (optional)</span>")
        .contains("5120 bytes held back on 2 connections");
    assertThat(html).contains("<a href=\"history.jsonl\">history.jsonl</a> (4 ops)");
    assertThat(html)
        .as("the script data cannot close the script element early")
        .doesNotContain("</script>\n</script>");
  }

  @Test
  void markdownHasTheVerdictTableCountsFaultsAndEvidence() throws Exception {
    RunReport report = SampleReports.sample("consumer-crash", T0, true);
    Path run = ReportWriter.runDir(reports, report.scenario(), report.startedAt());
    ReportWriter.write(run, report, SampleReports.history());
    String md = Files.readString(run.resolve("report.md"));
    assertThat(md).startsWith("# consumer-crash — ❌ invalid");
    assertThat(md).contains("| invariant | verdict | summary |\n|---|---|---|\n");
    for (String invariant : SampleReports.INVARIANTS) {
      assertThat(md).contains("| " + invariant + " | ");
    }
    assertThat(md).contains("| 2000 | 2000 | 2000 | 95 | 3 |");
    assertThat(md).contains("| partition | consumer->kafka | 6.0 s | 10.0 s | 4.0 s |");
    assertThat(md).contains("| latency | publisher->kafka | 16.0 s | never healed | — |");
    assertThat(md).contains("| crash | consumer.after-warehouse | 12.0 s | 12.0 s | instant |");
    assertThat(md).contains("### no-duplicates — ❌ invalid").contains("- ... and 2 more");
    assertThat(md).contains("| duplicate-visible | 9 |");
    assertThat(md)
        .contains("## Did each fault take effect?")
        .contains(
            "| 3 | crash consumer at consumer.after-warehouse (at events_applied 900) | yes |"
                + " consumer halted at consumer.after-warehouse (exit 137, 80 ms after it was"
                + " armed) |")
        .contains("| 4 | latency publisher->kafka for 10s (at 16s) | no (optional) |");
  }

  @Test
  void latestPointsAtTheNewestRunWhateverTheWritingOrder() throws Exception {
    RunReport newer = SampleReports.sample("s", T0.plusSeconds(60), false);
    RunReport older = SampleReports.sample("s", T0, true);
    Path newerDir = ReportWriter.runDir(reports, "s", newer.startedAt());
    Path olderDir = ReportWriter.runDir(reports, "s", older.startedAt());
    ReportWriter.write(newerDir, newer, SampleReports.history());
    ReportWriter.write(olderDir, older, SampleReports.history());
    Path latest = reports.resolve("s/latest");
    assertThat(Files.isSymbolicLink(latest)).isTrue();
    assertThat(Files.readSymbolicLink(latest))
        .as("a relative link, so the folder can move")
        .isEqualTo(newerDir.getFileName());
    assertThat(latest.resolve("results.json")).isNotEmptyFile();
  }

  /** Leaves a sample under {@code harness/target/sample-reports/} to open in a browser. */
  @Test
  void writesASampleForPeopleToLookAt() {
    Path dir = Path.of("target", "sample-reports");
    ReportWriter.write(
        ReportWriter.runDir(dir, "sample-invalid", T0),
        SampleReports.sample("sample-invalid", T0, true),
        SampleReports.history());
    ReportWriter.write(
        ReportWriter.runDir(dir, "sample-valid", T0),
        SampleReports.sample("sample-valid", T0, false),
        SampleReports.history());
    ReportIndex.write(dir);
    assertThat(dir.resolve("index.html")).isNotEmptyFile();
  }

  @Test
  void scenarioNamesBecomeSafeFolderNames() {
    assertThat(ReportWriter.safeName("crash/../x y")).isEqualTo("crash_.._x_y");
    assertThat(ReportWriter.safeName("..")).isEqualTo("_");
  }
}
