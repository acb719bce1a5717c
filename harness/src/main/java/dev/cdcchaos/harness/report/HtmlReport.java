package dev.cdcchaos.harness.report;

import com.samskivert.mustache.Template;
import dev.cdcchaos.harness.check.AccountingChecker;
import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.check.Visibility;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.report.RunReport.Counts;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import dev.cdcchaos.harness.report.RunReport.Sample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.html}: one self-contained file (Chart.js inlined from its webjar, data inlined as
 * JSON), so it opens from a CI artifact without a network.
 */
final class HtmlReport {
  /** Rates in the throughput chart are averaged over this window. */
  static final long RATE_WINDOW_MS = 1000;

  private HtmlReport() {}

  static String render(RunReport r, int historyOps) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("historyOps", historyOps);
    m.put("scenario", r.scenario());
    m.put("description", r.description());
    m.put("verdict", Format.css(r.verdict()));
    m.put("seed", r.seed());
    m.put("variant", r.variant());
    m.put("startedAt", r.startedAt().toString());
    m.put("wallTime", Format.millis(r.wallTimeMs()));
    m.put(
        "recovery",
        r.convergeTimeMs() == null ? "did not converge" : Format.millis(r.convergeTimeMs()));
    m.put("bound", Format.millis(r.convergeBoundMs()));
    List<Map<String, Object>> settings = new ArrayList<>();
    new TreeMap<>(r.settings()).forEach((k, v) -> settings.add(Map.of("key", k, "value", v)));
    m.put("settings", settings);

    List<Map<String, Object>> checks = new ArrayList<>();
    for (CheckResult c : r.checks()) {
      Map<String, Object> cm = new LinkedHashMap<>();
      cm.put("invariant", c.invariant());
      cm.put("verdict", Format.css(c.verdict()));
      cm.put("summary", c.summary());
      cm.put("evidence", c.evidence());
      cm.put("hasEvidence", !c.evidence().isEmpty());
      cm.put("open", c.verdict() != Verdict.VALID);
      List<Map<String, Object>> counts = new ArrayList<>();
      new TreeMap<>(c.counts()).forEach((k, v) -> counts.add(Map.of("key", k, "value", v)));
      cm.put("counts", counts);
      checks.add(cm);
    }
    m.put("checks", checks);

    Counts n = r.counts();
    m.put(
        "counts",
        List.of(
            Map.of("name", "committed", "value", n.committed()),
            Map.of("name", "published", "value", n.published()),
            Map.of("name", "applied", "value", n.applied()),
            Map.of("name", "duplicates absorbed", "value", n.duplicatesAbsorbed()),
            Map.of("name", "dead-lettered", "value", n.deadLettered())));

    List<Map<String, Object>> faults = new ArrayList<>();
    for (FaultSpan f : r.faults()) {
      faults.add(
          Map.of(
              "name", f.name(),
              "target", f.target(),
              "start", Format.millis(f.startMs()),
              "end", f.endMs() == null ? "never healed" : Format.millis(f.endMs()),
              "duration", Format.duration(f)));
    }
    m.put("faults", faults);
    m.put("hasFaults", !faults.isEmpty());
    List<Map<String, Object>> effects = new ArrayList<>();
    for (FaultEffect e : r.effects()) {
      Map<String, Object> em = new LinkedHashMap<>();
      em.put("number", e.index() + 1);
      em.put("fault", e.fault());
      em.put("css", e.tookEffect() ? "valid" : "unknown");
      em.put("tookEffect", Format.tookEffect(e));
      em.put("evidence", e.evidence());
      effects.add(em);
    }
    m.put("effects", effects);
    m.put("hasEffects", !effects.isEmpty());
    m.put("hasSamples", !r.samples().isEmpty());
    RunReport.Reads reads = r.reads();
    m.put("hasReads", reads != null);
    if (reads != null) {
      m.put(
          "readsLine",
          reads.snapshots()
              + " snapshots of "
              + reads.attempts()
              + " reads ("
              + reads.failed()
              + " found the consumer down or restarting)");
      Visibility v = reads.visibility();
      m.put("hasVisibility", v != null);
      if (v != null) {
        m.put(
            "visibility",
            List.of(
                Map.of("name", "events timed", "value", v.events()),
                Map.of("name", "seen by a snapshot", "value", v.seen()),
                Map.of("name", "p50", "value", Format.millis(v.p50Ms())),
                Map.of("name", "p99", "value", Format.millis(v.p99Ms())),
                Map.of("name", "max", "value", Format.millis(v.maxMs()))));
      }
    }
    m.put("timelineHeight", 90 + 30 * Math.max(1, r.faults().size()));
    m.put("data", Json.forScript(chartData(r)));
    m.put("chartJs", HtmlAssets.chartJs());
    m.put("css", resource("report.css"));
    m.put("reportJs", resource("report.js"));
    return template("report.html.mustache").execute(m);
  }

  /** The data behind the four charts; times in seconds since the run started. */
  static Map<String, Object> chartData(RunReport r) {
    Map<String, Object> d = new LinkedHashMap<>();
    // the axes end with the last sample or fault: after that a real run only checks, and that
    // would leave the right part of every chart empty
    double wall = 0;
    for (Sample s : r.samples()) {
      wall = Math.max(wall, s.tMs() / 1000.0);
    }
    List<Map<String, Object>> faults = new ArrayList<>();
    for (FaultSpan f : r.faults()) {
      Map<String, Object> fm = new LinkedHashMap<>();
      fm.put("label", f.name() + " " + f.target());
      fm.put("name", f.name());
      fm.put("start", f.startMs() / 1000.0);
      fm.put(
          "end", (f.endMs() == null ? Math.max(r.wallTimeMs(), f.startMs()) : f.endMs()) / 1000.0);
      fm.put("healed", f.endMs() != null);
      faults.add(fm);
      wall = Math.max(wall, (double) fm.get("end"));
    }
    if (wall == 0) {
      wall = r.wallTimeMs() / 1000.0;
    }
    List<Map<String, Object>> unseen = new ArrayList<>();
    if (r.reads() != null && r.reads().visibility() != null) {
      for (Visibility.Point p : r.reads().visibility().unseen()) {
        unseen.add(Map.of("x", p.tMs() / 1000.0, "y", p.unseen()));
      }
    }
    d.put("unseen", unseen);
    d.put("wall", wall);
    d.put("start", axisStart(r));
    d.put("faults", faults);

    List<Double> t = new ArrayList<>();
    List<Long> lag = new ArrayList<>();
    List<Double> committed = new ArrayList<>();
    List<Double> published = new ArrayList<>();
    List<Double> applied = new ArrayList<>();
    List<Sample> samples = r.samples();
    int from = 0;
    for (int i = 0; i < samples.size(); i++) {
      Sample s = samples.get(i);
      // rates over the last RATE_WINDOW_MS: real samples come every ~100-300 ms and the consumer
      // applies whole batches, so per-sample rates are spikes that hide the trend
      while (from < i - 1 && samples.get(from + 1).tMs() <= s.tMs() - RATE_WINDOW_MS) {
        from++;
      }
      Sample prev = i == 0 ? null : samples.get(from);
      t.add(s.tMs() / 1000.0);
      lag.add(s.lagMs());
      committed.add(rate(prev == null ? null : prev.committed(), s.committed(), prev, s));
      published.add(rate(prev == null ? null : prev.published(), s.published(), prev, s));
      applied.add(rate(prev == null ? null : prev.applied(), s.applied(), prev, s));
    }
    d.put("t", t);
    d.put("lag", lag);
    d.put("committed", committed);
    d.put("published", published);
    d.put("applied", applied);

    CheckResult accounting =
        r.checks().stream()
            .filter(c -> c.invariant().equals(AccountingChecker.NAME))
            .findFirst()
            .orElse(null);
    Counts n = r.counts();
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("committed", n.committed());
    stages.put("published", n.published());
    if (accounting != null) {
      stages.put("in lake", accounting.counts().getOrDefault("stage:lake", 0L));
    }
    stages.put("applied", n.applied());
    stages.put("dead-lettered", n.deadLettered());
    stages.put("duplicates absorbed", n.duplicatesAbsorbed());
    d.put("stageLabels", List.copyOf(stages.keySet()));
    d.put("stageValues", List.copyOf(stages.values()));

    List<String> outcomeLabels = new ArrayList<>();
    List<Long> outcomeValues = new ArrayList<>();
    List<Boolean> outcomeBad = new ArrayList<>();
    if (accounting != null) {
      for (String label : AccountingChecker.LABELS) {
        long value = accounting.counts().getOrDefault(label, 0L);
        outcomeLabels.add(label + " (" + value + ")");
        outcomeValues.add(value);
        outcomeBad.add(
            label.equals(AccountingChecker.LOST)
                || label.equals(AccountingChecker.DUPLICATE_VISIBLE)
                || label.equals(AccountingChecker.REORDERED_DIVERGED));
      }
    }
    d.put("outcomeLabels", outcomeLabels);
    d.put("outcomeValues", outcomeValues);
    d.put("outcomeBad", outcomeBad);
    return d;
  }

  /**
   * Where the time axes start: the whole second before the first sample or fault, so the time a
   * real run spends setting up (database, topic, child JVMs) before its workload does not take up
   * most of each chart.
   */
  static double axisStart(RunReport r) {
    long first = Long.MAX_VALUE;
    if (!r.samples().isEmpty()) {
      first = r.samples().get(0).tMs();
    }
    for (FaultSpan f : r.faults()) {
      first = Math.min(first, f.startMs());
    }
    return first == Long.MAX_VALUE ? 0 : Math.floorDiv(first, 1000);
  }

  /** Events per second between two samples; 0 for the first. */
  private static double rate(Long before, long now, Sample prev, Sample s) {
    if (prev == null || s.tMs() <= prev.tMs()) {
      return 0;
    }
    return Math.round((now - before) * 1000.0 / (s.tMs() - prev.tMs()) * 10) / 10.0;
  }

  static String resource(String name) {
    return HtmlAssets.resource(HtmlReport.class, name);
  }

  static Template template(String name) {
    return HtmlAssets.template(HtmlReport.class, name);
  }
}
