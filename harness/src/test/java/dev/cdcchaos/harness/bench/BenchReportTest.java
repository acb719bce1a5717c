package dev.cdcchaos.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.bench.BenchReport.Row;
import dev.cdcchaos.harness.bench.BenchReport.Status;
import dev.cdcchaos.harness.report.HtmlAssets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

  @TempDir Path dir;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A result shaped like a real 1,000,000-event run's, with the types {@link Bench} puts in. */
  static Map<String, Object> fullResult() {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("infra_start_s", 4.21);
    r.put("load_s", 6.5);
    r.put("catchup_events", 1_000_000L);
    r.put("catchup_s", 20.5);
    r.put("catchup_events_per_s", 48_780L);
    r.put("catchup_second_half_events_per_s", 52_600L);
    r.put("catchup_first_applied_s", 1.3);
    List<List<Number>> timeline = new ArrayList<>();
    timeline.add(List.of(0.0, 0L, 0L));
    for (int s = 1; s <= 20; s++) {
      timeline.add(List.of((double) s, Math.min(1_000_000L, s * 52_000L), (s - 1) * 50_000L));
    }
    r.put("catchup_timeline", timeline);
    r.put("catchup_publish_events_per_s", 51_000L);
    r.put("publishers", 1);
    Map<String, Long> stages = new LinkedHashMap<>();
    stages.put("claim", 2_100L);
    stages.put("send", 5_300L);
    stages.put("mark", 7_900L);
    r.put("catchup_publisher_ms_by_stage", stages);
    Map<String, Long> phases = new LinkedHashMap<>();
    phases.put("poll", 900L);
    phases.put("decode", 3_200L);
    phases.put("warehouse", 8_800L);
    r.put("catchup_consumer_ms_by_phase", phases);
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("bench_jvm", 28.1);
    cpu.put("postgres", 12.4);
    cpu.put("kafka", 2.5);
    cpu.put("total", 43.0);
    r.put("catchup_cpu_s_by_process", cpu);
    r.put("catchup_cpu_us_per_event", 43.0);
    r.put("lag_rate_per_s", 5_000L);
    r.put("lag_events", 150_000L);
    r.put("lag_events_seen", 150_000L);
    r.put("lag_achieved_rate_per_s", 4_998L);
    r.put("lag_p50_ms", 180L);
    r.put("lag_p99_ms", 320L);
    r.put("lag_max_ms", 910L);
    r.put("total_s", 75.3);
    return r;
  }

  @Test
  void pageIsSelfContainedAndCarriesEveryChartsData() throws Exception {
    Path html = BenchReport.write(fullResult(), dir.resolve("reports/bench.html"));
    String page = Files.readString(html);

    assertThat(page)
        .as("Chart.js is inlined from the webjar, so the page opens without a network")
        .contains(HtmlAssets.chartJs())
        .contains("Chart.js v4");
    assertThat(Pattern.compile("<script[^>]*\\bsrc\\s*=").matcher(page).find())
        .as("no script is loaded from elsewhere")
        .isFalse();
    assertThat(page).as("no stylesheet is loaded from elsewhere").doesNotContain("<link ");
    assertThat(page)
        .as("a canvas for each chart")
        .contains(
            "id=\"cumulative\"", "id=\"rate\"", "id=\"cpu\"", "id=\"stages\"", "id=\"phases\"");

    JsonNode data = data(page);
    assertThat(data.get("t")).as("21 samples plus the catch-up's end").hasSize(22);
    assertThat(data.get("t").get(21).asDouble())
        .as("the timeline ends where the catch-up ended")
        .isEqualTo(20.5);
    assertThat(data.get("applied").get(21).asLong())
        .as("at the end every event is applied")
        .isEqualTo(1_000_000L);
    assertThat(data.get("applied").get(5).asLong()).isEqualTo(200_000L);
    assertThat(data.get("appliedRate").get(4).asLong())
        .as("the rate over second 4-5 is the applied count's step")
        .isEqualTo(50_000L);
    assertThat(data.get("publishedRate").get(20).asLong())
        .as("0.5 s from the last sample (all 1,000,000 published at 20 s) to the end: nothing new")
        .isZero();
    assertThat(data.get("appliedRate").get(20).asLong())
        .as("the last 50,000 applied in the last 0.5 s")
        .isEqualTo(100_000L);
    assertThat(data.get("firstApplied").asDouble()).isEqualTo(1.3);
    assertThat(data.get("average").asLong()).isEqualTo(48_780L);
    assertThat(texts(data.get("cpuLabels")))
        .as("'total' is the bars' sum, not a bar of its own")
        .containsExactly("bench_jvm", "postgres", "kafka");
    assertThat(data.get("cpuValues").get(1).asDouble()).isEqualTo(12.4);
    assertThat(texts(data.get("stageLabels"))).containsExactly("claim", "send", "mark");
    assertThat(data.get("stageValues").get(2).asDouble()).isEqualTo(7_900.0);
    assertThat(texts(data.get("phaseLabels"))).containsExactly("poll", "decode", "warehouse");

    assertThat(page)
        .as("the headline table shows the figures with their goals")
        .contains("48,780 events/s", "≥ 50,000/s over 1,000,000 events", "320 ms", "≤ 1,000 ms")
        .contains("52,600/s", "43 µs", "43 s of CPU in all");
    assertThat(page).as("the raw JSON is in the page too").contains("&quot;lag_max_ms&quot;");
  }

  @Test
  void goalsAreJudgedOnlyWhereTheyApply() {
    Map<String, Object> r = fullResult();
    assertThat(status(r, 0)).as("48,780/s is below 50,000/s").isEqualTo(Status.MISSED);
    assertThat(status(r, 1)).as("p99 320 ms is within 1,000 ms").isEqualTo(Status.MET);

    r.put("catchup_events_per_s", 50_000L);
    assertThat(status(r, 0)).as("exactly the goal meets it").isEqualTo(Status.MET);

    r.put("catchup_events", 10_000L);
    assertThat(status(r, 0))
        .as("a 10,000-event catch-up says nothing about the goal over 1,000,000")
        .isEqualTo(Status.NOT_MEASURED);

    r.put("lag_p99_ms", 1_001L);
    assertThat(status(r, 1)).isEqualTo(Status.MISSED);

    r.put("lag_p99_ms", 300L);
    r.put("lag_events_seen", 149_000L);
    Row lag = BenchReport.headline(r).get(1);
    assertThat(lag.status())
        .as("events that never arrived make the p99 of the seen ones an understatement")
        .isEqualTo(Status.MISSED);
    assertThat(lag.note()).contains("1,000 of 150,000 events never became visible");
  }

  @Test
  void missingKeysLeaveGapsNotErrors() throws Exception {
    // a 100-event run that stopped before the lag phase: one sample, no second half, no lag
    Map<String, Object> r = new HashMap<>();
    r.put("catchup_events", 100L);
    r.put("catchup_s", 0.8);
    r.put("catchup_events_per_s", 125L);
    r.put("catchup_timeline", List.of(List.of(0.0, 0L, 0L)));
    r.put("catchup_cpu_s_by_process", Map.of("total", 1.5));
    r.put("lag_p99_ms", null);
    r.put("lag_max_ms", null);

    String page = BenchReport.render(r);
    JsonNode data = data(page);
    assertThat(data.get("t")).as("the one sample and the end are still a line").hasSize(2);
    assertThat(data.get("cpuLabels")).as("no process besides the total").isEmpty();
    assertThat(data.get("firstApplied").isNull()).isTrue();
    assertThat(page)
        .as("charts without data say so instead of drawing nothing")
        .contains("No CPU figures were recorded.")
        .contains("No publisher stage times were recorded.")
        .contains("No consumer phase times were recorded.")
        .doesNotContain("id=\"cpu\"");
    assertThat(page).as("the run is still a page with its figures").contains("125 events/s");
    List<Row> rows = BenchReport.headline(r);
    assertThat(rows.get(1).status())
        .as("no lag figure: not measured, not met")
        .isEqualTo(Status.NOT_MEASURED);
    assertThat(rows).extracting(Row::figure).doesNotContain("lag p50", "catch-up, second half");

    String empty = BenchReport.render(Map.of());
    assertThat(empty)
        .as("even an empty result renders, with every chart's empty note")
        .contains("No timeline was recorded.")
        .contains("goals not measured");
    assertThat(data(empty).get("t")).isEmpty();
  }

  @Test
  void dataCannotCloseItsScriptElement() throws Exception {
    Map<String, Object> r = fullResult();
    r.put("catchup_publisher_ms_by_stage", Map.of("</script><script>alert(1)</script>", 1L));
    String page = BenchReport.render(r);
    assertThat(page.split("</script>", -1))
        .as("only the page's own two scripts are closed: a '</' in the data is escaped")
        .hasSize(3);
    assertThat(texts(data(page).get("stageLabels")))
        .as("and still reads back as the same text")
        .containsExactly("</script><script>alert(1)</script>");
  }

  @Test
  void htmlGoesNextToTheJson() {
    assertThat(BenchReport.htmlPath(Path.of("reports/bench.json")))
        .isEqualTo(Path.of("reports/bench.html"));
    assertThat(BenchReport.htmlPath(Path.of("/tmp/run.JSON"))).isEqualTo(Path.of("/tmp/run.html"));
    assertThat(BenchReport.htmlPath(Path.of("out")))
        .as("a name without .json gets .html added, never overwritten")
        .isEqualTo(Path.of("out.html"));
  }

  private static Status status(Map<String, Object> r, int row) {
    return BenchReport.headline(r).get(row).status();
  }

  private static JsonNode data(String page) throws Exception {
    int from = page.indexOf("const DATA = ");
    assertThat(from).as("the page embeds its data").isPositive();
    from += "const DATA = ".length();
    return JSON.readTree(page.substring(from, page.indexOf(";\n", from)));
  }

  private static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
