package dev.cdcchaos.harness.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two pipelines' figures side by side: the ratio is the second's over the first's. */
class SideBySideTest {
  @Test
  void theRatioIsTheSecondPipelineOverTheFirst() {
    Map<String, Map<String, Object>> results = new LinkedHashMap<>();
    results.put(
        "reference",
        Map.of(
            "catchup_events_per_s", 50_000L, "lag_p99_ms", 200L, "catchup_cpu_us_per_event", 30.0));
    results.put(
        "debezium",
        Map.of(
            "catchup_events_per_s", 20_000L, "lag_p99_ms", 500L, "catchup_cpu_us_per_event", 60.0));
    Map<String, Object> all = SideBySide.combine(results);
    @SuppressWarnings("unchecked")
    Map<String, Object> ratio = (Map<String, Object>) all.get("ratio");
    assertThat(ratio)
        .containsEntry("of", "debezium / reference")
        .containsEntry("catchup_events_per_s", 0.4)
        .containsEntry("lag_p99_ms", 2.5)
        .containsEntry("catchup_cpu_us_per_event", 2.0)
        .as("a figure one side lacks has no ratio")
        .doesNotContainKey("lag_p50_ms");
    assertThat(SideBySide.table(all)).contains("catchup_events_per_s").contains("0.4");
    assertThat(SideBySide.html(all, Path.of("reports/bench.html")))
        .contains("bench-reference.html")
        .contains("bench-debezium.html")
        .contains("<td class=\"num\">2.5</td>");
  }
}
