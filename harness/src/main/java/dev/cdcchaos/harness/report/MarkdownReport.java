package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.check.AccountingChecker;
import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.report.RunReport.Counts;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import java.util.Map;
import java.util.TreeMap;

/** {@code report.md}: the run for a terminal, a pull request or a CI summary. */
final class MarkdownReport {

  private MarkdownReport() {}

  static String render(RunReport r) {
    StringBuilder md = new StringBuilder();
    md.append("# ")
        .append(r.scenario())
        .append(" — ")
        .append(Format.badge(r.verdict()))
        .append("\n\n");
    if (!r.description().isBlank()) {
      md.append(r.description().strip()).append("\n\n");
    }
    md.append("| | |\n|---|---|\n");
    row(md, "verdict", "**" + Format.badge(r.verdict()) + "**");
    row(md, "seed", Long.toString(r.seed()));
    row(md, "variant", r.variant());
    row(md, "started", r.startedAt().toString());
    row(md, "wall time", Format.millis(r.wallTimeMs()));
    row(
        md,
        "recovery",
        (r.convergeTimeMs() == null ? "did not converge" : Format.millis(r.convergeTimeMs()))
            + " (bound "
            + Format.millis(r.convergeBoundMs())
            + ")");
    new TreeMap<>(r.settings()).forEach((k, v) -> row(md, k, v));

    md.append("\n## Invariants\n\n| invariant | verdict | summary |\n|---|---|---|\n");
    for (CheckResult c : r.checks()) {
      md.append("| ")
          .append(Format.cell(c.invariant()))
          .append(" | ")
          .append(Format.badge(c.verdict()))
          .append(" | ")
          .append(Format.cell(c.summary()))
          .append(" |\n");
    }

    Counts n = r.counts();
    md.append("\n## Counts\n\n")
        .append("| committed | published | applied | duplicates absorbed | dead-lettered |\n")
        .append("|---:|---:|---:|---:|---:|\n")
        .append("| ")
        .append(n.committed())
        .append(" | ")
        .append(n.published())
        .append(" | ")
        .append(n.applied())
        .append(" | ")
        .append(n.duplicatesAbsorbed())
        .append(" | ")
        .append(n.deadLettered())
        .append(" |\n");

    RunReport.Reads reads = r.reads();
    if (reads != null) {
      md.append("\n## Reads while the run went\n\n")
          .append(reads.snapshots())
          .append(" snapshots of ")
          .append(reads.attempts())
          .append(" reads (")
          .append(reads.failed())
          .append(" found the consumer down or restarting).\n");
      dev.cdcchaos.harness.check.Visibility v = reads.visibility();
      if (v != null) {
        md.append("\n| commit → visible | events timed | seen | p50 | p99 | max |\n")
            .append("|---|---:|---:|---:|---:|---:|\n")
            .append("| | ")
            .append(v.events())
            .append(" | ")
            .append(v.seen())
            .append(" | ")
            .append(Format.millis(v.p50Ms()))
            .append(" | ")
            .append(Format.millis(v.p99Ms()))
            .append(" | ")
            .append(Format.millis(v.maxMs()))
            .append(" |\n");
      }
    }

    r.checks().stream()
        .filter(c -> c.invariant().equals(AccountingChecker.NAME))
        .findFirst()
        .ifPresent(
            a -> {
              md.append("\n## Accounting per event\n\n| outcome | events |\n|---|---:|\n");
              for (String label : AccountingChecker.LABELS) {
                md.append("| ")
                    .append(label)
                    .append(" | ")
                    .append(a.counts().getOrDefault(label, 0L))
                    .append(" |\n");
              }
            });

    md.append("\n## Faults\n\n");
    if (r.faults().isEmpty()) {
      md.append("No faults were injected.\n");
    } else {
      md.append("| fault | target | start | end | duration |\n|---|---|---:|---:|---:|\n");
      for (FaultSpan f : r.faults()) {
        md.append("| ")
            .append(Format.cell(f.name()))
            .append(" | ")
            .append(Format.cell(f.target()))
            .append(" | ")
            .append(Format.millis(f.startMs()))
            .append(" | ")
            .append(f.endMs() == null ? "never healed" : Format.millis(f.endMs()))
            .append(" | ")
            .append(Format.duration(f))
            .append(" |\n");
      }
    }

    if (!r.effects().isEmpty()) {
      md.append("\n## Did each fault take effect?\n\n")
          .append("| # | fault | took effect | evidence |\n|---:|---|---|---|\n");
      for (FaultEffect e : r.effects()) {
        md.append("| ")
            .append(e.index() + 1)
            .append(" | ")
            .append(Format.cell(e.fault()))
            .append(" | ")
            .append(Format.tookEffect(e))
            .append(" | ")
            .append(Format.cell(e.evidence()))
            .append(" |\n");
      }
    }

    md.append("\n## Evidence\n");
    boolean any = false;
    for (CheckResult c : r.checks()) {
      if (c.verdict() == Verdict.VALID && c.evidence().isEmpty()) {
        continue;
      }
      any = true;
      md.append("\n### ")
          .append(c.invariant())
          .append(" — ")
          .append(Format.badge(c.verdict()))
          .append("\n\n")
          .append(c.summary())
          .append("\n\n");
      for (String line : c.evidence()) {
        md.append("- ").append(line.replace("\n", " ")).append('\n');
      }
      Map<String, Long> counts = new TreeMap<>(c.counts());
      if (!counts.isEmpty()) {
        md.append("\n")
            .append(
                String.join(
                    ", ",
                    counts.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).toList()))
            .append('\n');
      }
    }
    if (!any) {
      md.append("\nEvery invariant holds; nothing to show.\n");
    }
    return md.toString();
  }

  private static void row(StringBuilder md, String key, String value) {
    md.append("| ")
        .append(Format.cell(key))
        .append(" | ")
        .append(Format.cell(value))
        .append(" |\n");
  }
}
