package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.report.RunReport.Counts;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import dev.cdcchaos.harness.report.RunReport.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart data as a real run produces it: setup before the workload, bursty batch applies. */
class HtmlReportChartDataTest {

  /**
   * 27 s of setup, then samples every 200 ms for 10 s: 1000 events/s committed evenly, applied in
   * batches of 1000 once a second (as a consumer with batch size 1000 does).
   */
  private static RunReport realistic(List<FaultSpan> faults) {
    List<Sample> samples = new ArrayList<>();
    for (int i = 0; i <= 50; i++) {
      long t = 27_300 + 200L * i;
      long committed = 200L * i;
      long applied = 1000L * (i / 5);
      samples.add(new Sample(t, committed, committed, applied, 0));
    }
    return new RunReport(
        "s",
        "",
        1,
        "correct",
        Instant.EPOCH,
        40_000,
        Verdict.VALID,
        List.of(),
        new Counts(10_000, 10_000, 10_000, 0, 0),
        faults,
        samples,
        1_000L,
        30_000L,
        Map.of());
  }

  @SuppressWarnings("unchecked")
  @Test
  void batchAppliesAreAveragedOverASecondNotDrawnAsSpikes() {
    Map<String, Object> d = HtmlReport.chartData(realistic(List.of()));
    List<Double> applied = (List<Double>) d.get("applied");
    List<Double> committed = (List<Double>) d.get("committed");

    // per-sample rates would be 0 and 5000 events/s in turn
    assertThat(applied.subList(6, applied.size()))
        .as("applied events/s over the last second, once a second of samples exists")
        .allSatisfy(r -> assertThat(r).isBetween(750.0, 1250.0));
    assertThat(committed.subList(1, committed.size()))
        .as("an even commit rate stays even")
        .allSatisfy(r -> assertThat(r).isEqualTo(1000.0));
    assertThat(committed.get(0)).as("no rate before the first interval").isEqualTo(0.0);
  }

  @Test
  void timeAxesEndWithTheLastSampleNotWithTheChecks() {
    assertThat(HtmlReport.chartData(realistic(List.of())).get("wall"))
        .as("the last sample is at 37.3 s; the run's 40 s include checking, which has no data")
        .isEqualTo(37.3);
    assertThat(
            HtmlReport.chartData(
                    realistic(List.of(new FaultSpan("latency", "publisher->kafka", 30_000L, null))))
                .get("wall"))
        .as("a fault that never healed lasts to the end of the run")
        .isEqualTo(40.0);
  }

  @Test
  void timeAxesStartAtTheWorkloadNotAtTheSetup() {
    assertThat(HtmlReport.chartData(realistic(List.of())).get("start"))
        .as("the whole second before the first sample")
        .isEqualTo(27.0);
    assertThat(
            HtmlReport.chartData(
                    realistic(
                        List.of(new FaultSpan("partition", "consumer->kafka", 25_500L, 30_000L))))
                .get("start"))
        .as("a fault that started before the first sample is on the axis")
        .isEqualTo(25.0);
  }
}
