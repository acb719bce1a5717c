package dev.cdcchaos.harness.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two pipelines' bench figures side by side: the same events, the same machine, one run, fresh
 * infrastructure for each. The ratio is the second pipeline's figure over the first's (above 1 is
 * more events/s, or more lag and CPU).
 */
public final class SideBySide {
  /** The figures compared, in the order shown. */
  static final List<String> FIGURES =
      List.of(
          "catchup_events_per_s",
          "catchup_second_half_events_per_s",
          "catchup_first_applied_s",
          "lag_p50_ms",
          "lag_p99_ms",
          "lag_max_ms",
          "catchup_cpu_us_per_event");

  private SideBySide() {}

  /** {@code {pipelines: {name: figures}, ratio: {figure: second / first}}}. */
  public static Map<String, Object> combine(Map<String, Map<String, Object>> results) {
    List<String> names = new ArrayList<>(results.keySet());
    Map<String, Object> ratio = new LinkedHashMap<>();
    if (names.size() >= 2) {
      Map<String, Object> a = results.get(names.get(0));
      Map<String, Object> b = results.get(names.get(1));
      ratio.put("of", names.get(1) + " / " + names.get(0));
      for (String f : FIGURES) {
        if (a.get(f) instanceof Number x && b.get(f) instanceof Number y && x.doubleValue() != 0) {
          ratio.put(f, Math.round(y.doubleValue() / x.doubleValue() * 100) / 100.0);
        }
      }
    }
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("pipelines", results);
    all.put("ratio", ratio);
    return all;
  }

  /** A plain-text table for the console. */
  @SuppressWarnings("unchecked")
  public static String table(Map<String, Object> all) {
    Map<String, Map<String, Object>> results =
        (Map<String, Map<String, Object>>) all.get("pipelines");
    Map<String, Object> ratio = (Map<String, Object>) all.get("ratio");
    StringBuilder t = new StringBuilder();
    t.append(String.format(Locale.ROOT, "%-34s", "figure"));
    results.keySet().forEach(n -> t.append(String.format(Locale.ROOT, "%14s", n)));
    t.append(String.format(Locale.ROOT, "%10s%n", "ratio"));
    for (String f : FIGURES) {
      t.append(String.format(Locale.ROOT, "%-34s", f));
      results.values().forEach(r -> t.append(String.format(Locale.ROOT, "%14s", r.get(f))));
      t.append(String.format(Locale.ROOT, "%10s%n", ratio.getOrDefault(f, "")));
    }
    return t.toString();
  }

  /** The page: the figures of both and their ratio, then each pipeline's own report, linked. */
  @SuppressWarnings("unchecked")
  public static String html(Map<String, Object> all, Path html) {
    Map<String, Map<String, Object>> results =
        (Map<String, Map<String, Object>>) all.get("pipelines");
    Map<String, Object> ratio = (Map<String, Object>) all.get("ratio");
    StringBuilder h = new StringBuilder();
    h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>cdc-chaos bench: ")
        .append(String.join(" vs ", results.keySet()))
        .append("</title><style>body{font:14px system-ui,sans-serif;margin:2em;color:#1f2328}")
        .append("table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 10px}")
        .append("td.num{text-align:right;font-variant-numeric:tabular-nums}")
        .append("iframe{width:100%;height:900px;border:1px solid #d0d7de;margin-top:1em}</style>")
        .append("</head><body><h1>Polling outbox or Debezium? The bench side by side</h1>")
        .append("<p>The same pre-loaded events drained by each pipeline, one after the other on")
        .append(" this machine, each on fresh infrastructure; then a steady rate for the lag.")
        .append(" Ratio: ")
        .append(ratio.getOrDefault("of", ""))
        .append(".</p><table><tr><th>figure</th>");
    results.keySet().forEach(n -> h.append("<th>").append(n).append("</th>"));
    h.append("<th>ratio</th></tr>");
    for (String f : FIGURES) {
      h.append("<tr><td>").append(f).append("</td>");
      results
          .values()
          .forEach(r -> h.append("<td class=\"num\">").append(r.get(f)).append("</td>"));
      h.append("<td class=\"num\">").append(ratio.getOrDefault(f, "")).append("</td></tr>");
    }
    h.append("</table>");
    for (String n : results.keySet()) {
      String name = html.getFileName().toString();
      int dot = name.lastIndexOf('.');
      String file = name.substring(0, dot) + "-" + n + name.substring(dot);
      h.append("<h2>")
          .append(n)
          .append("</h2><p><a href=\"")
          .append(file)
          .append("\">")
          .append(file)
          .append("</a></p><iframe src=\"")
          .append(file)
          .append("\"></iframe>");
    }
    return h.append("</body></html>\n").toString();
  }
}
