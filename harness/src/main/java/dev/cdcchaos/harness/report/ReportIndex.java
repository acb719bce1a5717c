package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The overview over every run under {@code reports/}: {@code index.html} and {@code index.md}, one
 * row per scenario (its newest run) and a list of all runs, plus the CI summary.
 */
public final class ReportIndex {

  /** A run found on disk. */
  public record Run(Path dir, RunReport report) {}

  private ReportIndex() {}

  /**
   * Every run under {@code reportsDir/<scenario>/<run>/results.json}, newest first; unreadable
   * results are skipped.
   */
  public static List<Run> load(Path reportsDir) {
    List<Run> runs = new ArrayList<>();
    if (!Files.isDirectory(reportsDir)) {
      return runs;
    }
    try (Stream<Path> scenarios = Files.list(reportsDir)) {
      for (Path scenario :
          scenarios
              .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
              .sorted()
              .toList()) {
        for (Path dir : ReportWriter.runsOf(scenario)) {
          try {
            runs.add(new Run(dir, ReportWriter.read(dir)));
          } catch (RuntimeException e) {
            // a half-written or foreign results.json must not hide the other runs
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + reportsDir, e);
    }
    runs.sort(Comparator.comparing((Run r) -> r.report().startedAt()).reversed());
    return runs;
  }

  /** The newest run of each scenario, by scenario name. */
  public static List<Run> latestPerScenario(List<Run> runs) {
    Map<String, Run> latest = new LinkedHashMap<>();
    for (Run r : runs) {
      // one newest run per scenario and pipeline under test: each pipeline has its own column
      latest.merge(
          r.report().scenario() + "\u0000" + pipeline(r.report()),
          r,
          (a, b) -> a.report().startedAt().isAfter(b.report().startedAt()) ? a : b);
    }
    return latest.values().stream()
        .sorted(Comparator.comparing((Run r) -> r.report().scenario()))
        .toList();
  }

  /**
   * Writes {@code index.html} and {@code index.md} into {@code reportsDir} and refreshes every
   * scenario's {@code latest} link.
   *
   * @return the runs found
   */
  public static List<Run> write(Path reportsDir) {
    List<Run> runs = load(reportsDir);
    try {
      Files.createDirectories(reportsDir);
      for (Run r : latestPerScenario(runs)) {
        ReportWriter.updateLatest(r.dir().toAbsolutePath().getParent());
      }
      Files.writeString(
          reportsDir.resolve("index.md"), markdown(reportsDir, runs), StandardCharsets.UTF_8);
      Files.writeString(
          reportsDir.resolve("index.html"), html(reportsDir, runs), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the index of " + reportsDir, e);
    }
    return runs;
  }

  /**
   * GitHub caps a step summary at 1 MiB; the summary stays under this, dropping the folded details
   * of the last scenarios (and saying so) before the table itself is touched.
   */
  static final int SUMMARY_LIMIT_BYTES = 900 * 1024;

  /**
   * Markdown for {@code $GITHUB_STEP_SUMMARY}: a headline with the totals, then one table row per
   * scenario (newest run) with verdict, wall time, recovery time, snapshots and visibility, and the
   * invariants that did not hold; then, folded, the evidence of every scenario that is not valid.
   * Kept under {@link #SUMMARY_LIMIT_BYTES}.
   */
  public static String ciSummary(List<RunReport> reports) {
    List<String> pipelines = pipelines(reports);
    if (pipelines.size() > 1) {
      return perPipelineSummary(reports, pipelines);
    }
    Map<String, RunReport> latest = new java.util.TreeMap<>();
    for (RunReport r : reports) {
      latest.merge(r.scenario(), r, (a, b) -> a.startedAt().isAfter(b.startedAt()) ? a : b);
    }
    Map<Verdict, Long> byVerdict =
        latest.values().stream()
            .collect(Collectors.groupingBy(RunReport::verdict, Collectors.counting()));
    StringBuilder md = new StringBuilder();
    md.append("### cdc-chaos: ")
        .append(byVerdict.getOrDefault(Verdict.VALID, 0L))
        .append(" valid, ")
        .append(byVerdict.getOrDefault(Verdict.INVALID, 0L))
        .append(" invalid, ")
        .append(byVerdict.getOrDefault(Verdict.UNKNOWN, 0L))
        .append(" unknown (")
        .append(latest.size())
        .append(" scenarios, ")
        .append(Format.millis(latest.values().stream().mapToLong(RunReport::wallTimeMs).sum()))
        .append(" in total)\n\n");
    md.append(
        "| scenario | verdict | wall time | recovery | snapshots | visible p99 | invariants not"
            + " holding |\n");
    md.append("|---|---|---:|---:|---:|---:|---|\n");
    for (RunReport r : latest.values()) {
      md.append("| ")
          .append(Format.cell(r.scenario()))
          .append(r.variant().equals("correct") ? "" : " (" + Format.cell(r.variant()) + ")")
          .append(" | ")
          .append(Format.badge(r.verdict()))
          .append(" | ")
          .append(Format.millis(r.wallTimeMs()))
          .append(" | ")
          .append(Format.millis(r.convergeTimeMs()))
          .append(" | ")
          .append(r.reads() == null ? "—" : String.valueOf(r.reads().snapshots()))
          .append(" | ")
          .append(
              r.reads() == null || r.reads().visibility() == null
                  ? "—"
                  : Format.millis(r.reads().visibility().p99Ms()))
          .append(" | ")
          .append(Format.cell(notHolding(r)))
          .append(" |\n");
    }
    appendDetails(md, latest.values().stream().filter(ReportIndex::failed).toList());
    return md.toString();
  }

  /** A run whose evidence the summary shows: neither valid nor merely not applicable. */
  private static boolean failed(RunReport r) {
    return r.verdict() == Verdict.INVALID || r.verdict() == Verdict.UNKNOWN;
  }

  /**
   * Appends the folded evidence of each run, in order, as long as the summary stays under {@link
   * #SUMMARY_LIMIT_BYTES}, then says how many were left out.
   */
  private static void appendDetails(StringBuilder md, List<RunReport> runs) {
    for (int i = 0; i < runs.size(); i++) {
      String details = details(runs.get(i));
      if (utf8Length(md) + utf8Length(details) > SUMMARY_LIMIT_BYTES) {
        md.append("\n")
            .append(runs.size() - i)
            .append(" more scenarios' evidence left out to stay under GitHub's 1 MiB summary cap;")
            .append(" see their report.html in the reports artifact.\n");
        return;
      }
      md.append(details);
    }
  }

  /** One scenario's evidence, folded: the checks that did not hold and their first lines. */
  private static String details(RunReport r) {
    StringBuilder d = new StringBuilder();
    d.append("\n<details><summary>")
        .append(Format.cell(r.scenario()))
        .append(pipeline(r).equals("reference") ? "" : " on " + pipeline(r))
        .append(": ")
        .append(r.verdict())
        .append("</summary>\n\n");
    for (var c : r.checks()) {
      if (c.verdict() == Verdict.VALID) {
        continue;
      }
      d.append("- **")
          .append(Format.cell(c.invariant()))
          .append("** ")
          .append(c.verdict())
          .append(": ")
          .append(Format.cell(c.summary()))
          .append('\n');
      c.evidence().stream()
          .limit(5)
          .forEach(e -> d.append("  - ").append(Format.cell(e)).append('\n'));
    }
    d.append("\n</details>\n");
    return d.toString();
  }

  private static int utf8Length(CharSequence s) {
    return s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }

  /** The pipeline under test of a run ({@code reference} for runs from before pipelines). */
  static String pipeline(RunReport r) {
    return r.settings().getOrDefault("pipeline", "reference");
  }

  /** The pipelines among {@code reports}, the reference first. */
  static List<String> pipelines(List<RunReport> reports) {
    return reports.stream()
        .map(ReportIndex::pipeline)
        .distinct()
        .sorted(Comparator.comparing((String p) -> !p.equals("reference")).thenComparing(p -> p))
        .toList();
  }

  /**
   * The CI summary when runs of several pipelines are present: one row per scenario, one column per
   * pipeline (verdict and recovery of its newest run), the counts per pipeline in the headline.
   * Not-applicable runs are counted apart: never as valid, never as failures.
   */
  static String perPipelineSummary(List<RunReport> reports, List<String> pipelines) {
    Map<String, Map<String, RunReport>> latest = new java.util.TreeMap<>();
    for (RunReport r : reports) {
      // a known-bad variant's run is a row of its own: it is meant to be invalid
      String row = r.scenario() + (r.variant().equals("correct") ? "" : " (" + r.variant() + ")");
      latest
          .computeIfAbsent(row, k -> new LinkedHashMap<>())
          .merge(pipeline(r), r, (a, b) -> a.startedAt().isAfter(b.startedAt()) ? a : b);
    }
    StringBuilder md = new StringBuilder("### cdc-chaos: ");
    List<String> heads = new ArrayList<>();
    for (String p : pipelines) {
      Map<Verdict, Long> by =
          latest.values().stream()
              .map(m -> m.get(p))
              .filter(java.util.Objects::nonNull)
              .collect(Collectors.groupingBy(RunReport::verdict, Collectors.counting()));
      heads.add(
          p
              + " "
              + by.getOrDefault(Verdict.VALID, 0L)
              + " valid, "
              + by.getOrDefault(Verdict.INVALID, 0L)
              + " invalid, "
              + by.getOrDefault(Verdict.UNKNOWN, 0L)
              + " unknown, "
              + by.getOrDefault(Verdict.NOT_APPLICABLE, 0L)
              + " not applicable");
    }
    md.append(String.join("; ", heads))
        .append(" (")
        .append(latest.size())
        .append(" scenarios)\n\n");
    md.append("| scenario |");
    pipelines.forEach(p -> md.append(' ').append(p).append(" |"));
    md.append(" not holding |\n|---|");
    pipelines.forEach(p -> md.append("---|"));
    md.append("---|\n");
    for (Map.Entry<String, Map<String, RunReport>> e : latest.entrySet()) {
      md.append("| ").append(Format.cell(e.getKey())).append(" |");
      List<String> notHolding = new ArrayList<>();
      for (String p : pipelines) {
        RunReport r = e.getValue().get(p);
        if (r == null) {
          md.append(" — |");
          continue;
        }
        md.append(' ').append(Format.badge(r.verdict()));
        if (r.convergeTimeMs() != null) {
          md.append(" (").append(Format.millis(r.convergeTimeMs())).append(')');
        }
        md.append(" |");
        String n = notHolding(r);
        if (!n.isEmpty()) {
          notHolding.add(p + ": " + n);
        }
      }
      md.append(' ').append(Format.cell(String.join("; ", notHolding))).append(" |\n");
    }
    md.append(
        "\nNot applicable: the scenario needs a capability the pipeline does not declare (the"
            + " report says which); not a failure, and not counted as valid.\n");
    List<RunReport> notValid = new ArrayList<>();
    latest
        .values()
        .forEach(m -> m.values().stream().filter(ReportIndex::failed).forEach(notValid::add));
    appendDetails(md, notValid);
    return md.toString();
  }

  /** {@link #ciSummary(List)} over the runs found under {@code reportsDir}. */
  public static String ciSummary(Path reportsDir) {
    return ciSummary(load(reportsDir).stream().map(Run::report).toList());
  }

  private static String notHolding(RunReport r) {
    return r.checks().stream()
        .filter(c -> c.verdict() != Verdict.VALID && c.verdict() != Verdict.NOT_APPLICABLE)
        .map(c -> c.invariant() + " (" + Format.css(c.verdict()) + ")")
        .collect(Collectors.joining(", "));
  }

  private static String markdown(Path reportsDir, List<Run> runs) {
    StringBuilder md = new StringBuilder("# cdc-chaos runs\n\n");
    md.append(ciSummary(runs.stream().map(Run::report).toList()).replaceFirst("### ", "## "));
    md.append("\n## All runs\n\n| started | scenario | verdict | seed | wall time | report |\n");
    md.append("|---|---|---|---:|---:|---|\n");
    for (Run r : runs) {
      md.append("| ")
          .append(r.report().startedAt())
          .append(" | ")
          .append(Format.cell(r.report().scenario()))
          .append(" | ")
          .append(Format.badge(r.report().verdict()))
          .append(" | ")
          .append(r.report().seed())
          .append(" | ")
          .append(Format.millis(r.report().wallTimeMs()))
          .append(" | [report.md](")
          .append(link(reportsDir, r, ReportWriter.MARKDOWN))
          .append(") |\n");
    }
    return md.toString();
  }

  private static String html(Path reportsDir, List<Run> runs) {
    List<Map<String, Object>> scenarios = new ArrayList<>();
    for (Run r : latestPerScenario(runs)) {
      Map<String, Object> m = view(reportsDir, r);
      long count =
          runs.stream().filter(x -> x.report().scenario().equals(r.report().scenario())).count();
      m.put("runs", count);
      m.put("notHolding", notHolding(r.report()));
      scenarios.add(m);
    }
    List<Map<String, Object>> all = new ArrayList<>();
    for (Run r : runs) {
      all.add(view(reportsDir, r));
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenarios", scenarios);
    m.put("runs", all);
    m.put("hasRuns", !runs.isEmpty());
    Map<Verdict, Long> byVerdict =
        latestPerScenario(runs).stream()
            .collect(Collectors.groupingBy(r -> r.report().verdict(), Collectors.counting()));
    m.put("valid", byVerdict.getOrDefault(Verdict.VALID, 0L));
    m.put("invalid", byVerdict.getOrDefault(Verdict.INVALID, 0L));
    m.put("unknown", byVerdict.getOrDefault(Verdict.UNKNOWN, 0L));
    m.put("notApplicable", byVerdict.getOrDefault(Verdict.NOT_APPLICABLE, 0L));
    m.put("css", HtmlReport.resource("report.css"));
    return HtmlReport.template("index.html.mustache").execute(m);
  }

  private static Map<String, Object> view(Path reportsDir, Run r) {
    RunReport rep = r.report();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("scenario", rep.scenario());
    m.put("variant", rep.variant());
    m.put("pipeline", pipeline(rep));
    m.put("verdict", Format.css(rep.verdict()));
    m.put("startedAt", rep.startedAt().toString());
    m.put("seed", rep.seed());
    m.put("wallTime", Format.millis(rep.wallTimeMs()));
    m.put("recovery", Format.millis(rep.convergeTimeMs()));
    m.put("href", link(reportsDir, r, ReportWriter.HTML));
    List<Map<String, Object>> checks = new ArrayList<>();
    for (CheckResult c : rep.checks()) {
      checks.add(Map.of("invariant", c.invariant(), "verdict", Format.css(c.verdict())));
    }
    m.put("checks", checks);
    return m;
  }

  private static String link(Path reportsDir, Run r, String file) {
    return reportsDir
        .toAbsolutePath()
        .relativize(r.dir().toAbsolutePath().resolve(file))
        .toString()
        .replace('\\', '/');
  }
}
