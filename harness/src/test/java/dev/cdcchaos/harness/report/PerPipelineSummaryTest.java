package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Verdict;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The CI summary with runs of two pipelines: a column each, not-applicable counted apart. */
class PerPipelineSummaryTest {
  private static final Instant T0 = Instant.parse("2026-12-03T08:00:00Z");

  private static RunReport on(String pipeline, String scenario, Verdict verdict, Instant at) {
    RunReport r = SampleReports.sample(scenario, at, false);
    return new RunReport(
        r.scenario(),
        r.description(),
        r.seed(),
        r.variant(),
        r.startedAt(),
        r.wallTimeMs(),
        verdict,
        verdict == Verdict.NOT_APPLICABLE ? List.of() : r.checks(),
        r.counts(),
        r.faults(),
        r.samples(),
        verdict == Verdict.NOT_APPLICABLE ? null : r.convergeTimeMs(),
        r.convergeBoundMs(),
        Map.of("pipeline", pipeline),
        r.effects(),
        r.reads());
  }

  @Test
  void eachPipelineHasItsColumnAndNotApplicableIsNeitherValidNorAFailure() {
    String summary =
        ReportIndex.ciSummary(
            List.of(
                on("reference", "alpha", Verdict.VALID, T0),
                on("debezium", "alpha", Verdict.VALID, T0.plusSeconds(60)),
                on("reference", "crash", Verdict.VALID, T0.plusSeconds(120)),
                on("debezium", "crash", Verdict.NOT_APPLICABLE, T0.plusSeconds(180))));
    assertThat(summary)
        .startsWith(
            "### cdc-chaos: reference 2 valid, 0 invalid, 0 unknown, 0 not applicable; debezium 1"
                + " valid, 0 invalid, 0 unknown, 1 not applicable (2 scenarios)");
    assertThat(summary).contains("| scenario | reference | debezium | not holding |");
    assertThat(summary)
        .as("the newest run of each scenario on each pipeline, side by side")
        .contains("| alpha | ✅ valid (4.2 s) | ✅ valid (4.2 s) |")
        .contains("| crash | ✅ valid (4.2 s) | ➖ not_applicable |");
    assertThat(summary).contains("not counted as valid");
  }
}
