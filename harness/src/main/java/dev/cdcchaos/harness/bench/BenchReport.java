package dev.cdcchaos.harness.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cdcchaos.harness.report.HtmlAssets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench.html}: the figures of one {@link Bench} run against their goals, and charts of the
 * catch-up (timeline, rates, where CPU and time went), in one self-contained file (Chart.js and the
 * data inlined). Reads the result map {@link Bench#run()} returns or its JSON; any key may be
 * missing (a short run has no second half, a failed lag phase no percentiles).
 */
public final class BenchReport {

  /** The catch-up goal: at least this many events/s ... */
  public static final long CATCHUP_GOAL_PER_S = 50_000;

  /** ... measured over at least this many events. */
  public static final long CATCHUP_GOAL_EVENTS = 1_000_000;

  /** The lag goal: p99 from commit to warehouse row at most this. */
  public static final long LAG_P99_GOAL_MS = 1_000;

  /** How a figure compares with its goal. */
  enum Status {
    MET("met", "valid"),
    MISSED("missed", "invalid"),
    NOT_MEASURED("n/a", "unknown"),
    NO_GOAL("", "");

    final String text;
    final String css;

    Status(String text, String css) {
      this.text = text;
      this.css = css;
    }
  }

  /** One line of the headline table. */
  record Row(String figure, String value, String goal, Status status, String note) {}

  private static final ObjectMapper PRETTY =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BenchReport() {}

  /** Where the page for {@code json} goes: the same path with {@code .html} for {@code .json}. */
  public static Path htmlPath(Path json) {
    String name = json.getFileName().toString();
    String base =
        name.toLowerCase(Locale.ROOT).endsWith(".json")
            ? name.substring(0, name.length() - ".json".length())
            : name;
    return json.resolveSibling(base + ".html");
  }

  /** Renders {@code result} to {@code html} (parent directories created) and returns the path. */
  public static Path write(Map<String, ?> result, Path html) throws IOException {
    Path parent = html.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(html, render(result));
    return html;
  }

  /** The whole page. */
  public static String render(Map<String, ?> result) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<Row> rows = headline(result);
    List<Map<String, Object>> table = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("figure", r.figure());
      row.put("value", r.value());
      row.put("goal", r.goal());
      row.put("status", r.status().text);
      row.put("css", r.status().css);
      row.put("hasStatus", r.status() != Status.NO_GOAL);
      row.put("note", r.note());
      table.add(row);
    }
    m.put("rows", table);
    Status overall = overall(rows);
    m.put("overall", overall.css);
    m.put(
        "overallText",
        switch (overall) {
          case MET -> "goals met";
          case MISSED -> "goal missed";
          default -> "goals not measured";
        });
    List<Map<String, Object>> meta = new ArrayList<>();
    meta("events", count(result, "catchup_events"), "", meta);
    meta("publishers", count(result, "publishers"), "", meta);
    meta("infra start", number(result, "infra_start_s"), " s", meta);
    meta("bulk load", number(result, "load_s"), " s", meta);
    meta("catch-up", number(result, "catchup_s"), " s", meta);
    meta("lag phase rate", count(result, "lag_rate_per_s"), " events/s", meta);
    meta("total", number(result, "total_s"), " s", meta);
    m.put("meta", meta);

    Map<String, Object> data = chartData(result);
    m.put("hasTimeline", ((List<?>) data.get("t")).size() >= 2);
    m.put("hasCpu", !((List<?>) data.get("cpuLabels")).isEmpty());
    m.put("cpuTotal", format(number(result, "catchup_cpu_s_by_process", "total"), " s"));
    m.put("hasStages", !((List<?>) data.get("stageLabels")).isEmpty());
    m.put("hasPhases", !((List<?>) data.get("phaseLabels")).isEmpty());
    m.put("data", HtmlAssets.scriptJson(data));
    m.put("raw", pretty(result));
    m.put("chartJs", HtmlAssets.chartJs());
    m.put("css", HtmlAssets.css());
    m.put("benchJs", HtmlAssets.resource(BenchReport.class, "bench.js"));
    return HtmlAssets.template(BenchReport.class, "bench.html.mustache").execute(m);
  }

  /** The headline figures: the two with goals first, then the others the result has. */
  static List<Row> headline(Map<String, ?> r) {
    List<Row> rows = new ArrayList<>();
    rows.add(catchupRow(r));
    rows.add(lagRow(r));
    optional(rows, "catch-up, second half", count(r, "catchup_second_half_events_per_s"), "/s");
    optional(rows, "publisher alone", count(r, "catchup_publish_events_per_s"), "/s");
    optional(rows, "first event applied after", number(r, "catchup_first_applied_s"), " s");
    Double cpu = number(r, "catchup_cpu_us_per_event");
    if (cpu != null) {
      Double total = number(r, "catchup_cpu_s_by_process", "total");
      rows.add(
          new Row(
              "CPU per catch-up event",
              format(cpu, " µs"),
              "",
              Status.NO_GOAL,
              total == null ? "" : format(total, " s") + " of CPU in all"));
    }
    optional(rows, "lag p50", count(r, "lag_p50_ms"), " ms");
    optional(rows, "lag max", count(r, "lag_max_ms"), " ms");
    Long achieved = count(r, "lag_achieved_rate_per_s");
    if (achieved != null) {
      Long asked = count(r, "lag_rate_per_s");
      rows.add(
          new Row(
              "lag phase, rate achieved",
              format(achieved, " events/s"),
              "",
              Status.NO_GOAL,
              asked == null ? "" : "asked for " + format(asked, " events/s")));
    }
    if (r.get("postgres_settings") instanceof Map<?, ?> pg && !pg.isEmpty()) {
      String fsync = String.valueOf(pg.get("fsync"));
      rows.add(
          new Row(
              "Postgres durability",
              "fsync=" + fsync + ", full_page_writes=" + pg.get("full_page_writes"),
              "",
              Status.NO_GOAL,
              "on".equals(fsync)
                  ? "the production setting (bench --durable)"
                  : "the harness's setting: sound for process kills, not for a power cut"));
    }
    return rows;
  }

  private static Row catchupRow(Map<String, ?> r) {
    Long events = count(r, "catchup_events");
    Long rate = count(r, "catchup_events_per_s");
    String figure = events == null ? "catch-up" : "catch-up, " + format(events, " events");
    String goal =
        "≥ " + format(CATCHUP_GOAL_PER_S, "/s") + " over " + format(CATCHUP_GOAL_EVENTS, " events");
    if (rate == null) {
      return new Row(figure, "—", goal, Status.NOT_MEASURED, "no catch-up figure in this result");
    }
    if (events == null || events < CATCHUP_GOAL_EVENTS) {
      return new Row(
          figure,
          format(rate, " events/s"),
          goal,
          Status.NOT_MEASURED,
          "too few events to compare: a short catch-up is mostly ramp-up");
    }
    return new Row(
        figure,
        format(rate, " events/s"),
        goal,
        rate >= CATCHUP_GOAL_PER_S ? Status.MET : Status.MISSED,
        "");
  }

  private static Row lagRow(Map<String, ?> r) {
    Long rate = count(r, "lag_rate_per_s");
    Long p99 = count(r, "lag_p99_ms");
    Long events = count(r, "lag_events");
    Long seen = count(r, "lag_events_seen");
    String figure = rate == null ? "lag p99" : "lag p99 at " + format(rate, " events/s");
    String goal = "≤ " + format(LAG_P99_GOAL_MS, " ms");
    if (p99 == null) {
      return new Row(figure, "—", goal, Status.NOT_MEASURED, "no lag figure in this result");
    }
    if (events != null && seen != null && seen < events) {
      // the unseen events' lag is unknown but longer than the phase's deadline: the p99 of the
      // seen ones understates the real one
      return new Row(
          figure,
          format(p99, " ms"),
          goal,
          Status.MISSED,
          format(events - seen, "")
              + " of "
              + format(events, "")
              + " events never became visible in the warehouse");
    }
    return new Row(
        figure, format(p99, " ms"), goal, p99 <= LAG_P99_GOAL_MS ? Status.MET : Status.MISSED, "");
  }

  private static Status overall(List<Row> rows) {
    boolean unknown = false;
    for (Row r : rows) {
      if (r.status() == Status.MISSED) {
        return Status.MISSED;
      }
      unknown |= r.status() == Status.NOT_MEASURED;
    }
    return unknown ? Status.NOT_MEASURED : Status.MET;
  }

  /**
   * The data behind the charts. The timeline gets a last point at the end of the catch-up (all
   * events published and applied), which the once-a-second samples stop short of; rates are per
   * sample interval, drawn at the interval's end.
   */
  static Map<String, Object> chartData(Map<String, ?> r) {
    List<Double> t = new ArrayList<>();
    List<Long> published = new ArrayList<>();
    List<Long> applied = new ArrayList<>();
    if (r.get("catchup_timeline") instanceof List<?> samples) {
      for (Object s : samples) {
        if (s instanceof List<?> p
            && p.size() >= 3
            && p.get(0) instanceof Number at
            && p.get(1) instanceof Number pub
            && p.get(2) instanceof Number app
            && (t.isEmpty() || at.doubleValue() > t.get(t.size() - 1))) {
          t.add(at.doubleValue());
          published.add(pub.longValue());
          applied.add(app.longValue());
        }
      }
    }
    Double end = number(r, "catchup_s");
    Long events = count(r, "catchup_events");
    if (!t.isEmpty() && end != null && events != null && end > t.get(t.size() - 1)) {
      t.add(end);
      published.add(events);
      applied.add(events);
    }
    List<Double> rateT = new ArrayList<>();
    List<Long> publishedRate = new ArrayList<>();
    List<Long> appliedRate = new ArrayList<>();
    for (int i = 1; i < t.size(); i++) {
      double dt = t.get(i) - t.get(i - 1);
      rateT.add(t.get(i));
      publishedRate.add(Math.round((published.get(i) - published.get(i - 1)) / dt));
      appliedRate.add(Math.round((applied.get(i) - applied.get(i - 1)) / dt));
    }
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("t", t);
    d.put("published", published);
    d.put("applied", applied);
    d.put("rateT", rateT);
    d.put("publishedRate", publishedRate);
    d.put("appliedRate", appliedRate);
    d.put("average", count(r, "catchup_events_per_s"));
    d.put("goal", CATCHUP_GOAL_PER_S);
    d.put("firstApplied", number(r, "catchup_first_applied_s"));

    Map<String, Double> cpu = numbers(r, "catchup_cpu_s_by_process");
    cpu.remove("total");
    d.put("cpuLabels", List.copyOf(cpu.keySet()));
    d.put("cpuValues", List.copyOf(cpu.values()));
    Map<String, Double> stages = numbers(r, "catchup_publisher_ms_by_stage");
    d.put("stageLabels", List.copyOf(stages.keySet()));
    d.put("stageValues", List.copyOf(stages.values()));
    Map<String, Double> phases = numbers(r, "catchup_consumer_ms_by_phase");
    d.put("phaseLabels", List.copyOf(phases.keySet()));
    d.put("phaseValues", List.copyOf(phases.values()));
    return d;
  }

  private static void optional(List<Row> rows, String figure, Number value, String unit) {
    if (value != null) {
      rows.add(new Row(figure, format(value, unit), "", Status.NO_GOAL, ""));
    }
  }

  private static void meta(String name, Number value, String unit, List<Map<String, Object>> into) {
    if (value != null) {
      into.add(Map.of("name", name, "value", format(value, unit)));
    }
  }

  private static Double number(Map<String, ?> r, String key) {
    return r.get(key) instanceof Number n ? n.doubleValue() : null;
  }

  private static Double number(Map<String, ?> r, String map, String key) {
    return r.get(map) instanceof Map<?, ?> m && m.get(key) instanceof Number n
        ? n.doubleValue()
        : null;
  }

  private static Long count(Map<String, ?> r, String key) {
    return r.get(key) instanceof Number n ? Math.round(n.doubleValue()) : null;
  }

  /** The numeric entries of a nested map, in its order; anything else skipped. */
  private static Map<String, Double> numbers(Map<String, ?> r, String key) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (r.get(key) instanceof Map<?, ?> m) {
      m.forEach(
          (k, v) -> {
            if (v instanceof Number n) {
              out.put(String.valueOf(k), n.doubleValue());
            }
          });
    }
    return out;
  }

  /** {@code 42,900 events/s}, {@code 0.42 s}: grouped integers, decimals only where they are. */
  static String format(Number n, String unit) {
    if (n == null) {
      return "—";
    }
    double v = n.doubleValue();
    String s =
        v == Math.rint(v) && Math.abs(v) < 1e15
            ? String.format(Locale.ROOT, "%,d", (long) v)
            : String.format(Locale.ROOT, "%,.2f", v).replaceAll("0$", "");
    return s + unit;
  }

  private static String pretty(Map<String, ?> result) {
    try {
      return PRETTY.writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode the bench result", e);
    }
  }
}
