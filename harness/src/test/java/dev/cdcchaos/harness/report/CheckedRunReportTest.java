package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.report.RunReport.Counts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The path the runner takes: observation, checkers, counts, report files. */
class CheckedRunReportTest {

  @TempDir Path reports;

  private static Event event(String id, long version) {
    OrderState state = new OrderState(1, 9, "NEW", 100 * version, "EUR", version, false);
    return new Event(
        id,
        "k-" + id,
        1,
        version == 1 ? Event.ORDER_CREATED : Event.ORDER_UPDATED,
        version,
        1,
        Instant.EPOCH,
        state,
        Map.of());
  }

  @Test
  void realCheckerResultsGoThroughTheReport() throws Exception {
    Event v1 = event("a", 1);
    Event v2 = event("b", 2);
    List<KafkaRecord> records =
        List.of(
            KafkaRecord.of("t", 0, 0, v1),
            KafkaRecord.of("t", 0, 1, v2),
            KafkaRecord.of("t", 0, 2, v2),
            KafkaRecord.of("t", 0, 3, null));
    Observation o =
        Observation.builder()
            .outbox(List.of(v1, v2))
            .sourceOrders(Map.of(1L, v2.state()))
            .warehouseOrders(Map.of(1L, v2.state()))
            .customerTotals(List.of(new Observation.CustomerTotal(9, 1, 200)))
            .snapshots(
                List.of(
                    new dev.cdcchaos.harness.check.Snapshot(
                        0,
                        100_000_000,
                        new java.util.TreeMap<>(Map.of(0, 4L)),
                        List.of(v2.state()),
                        List.of(new Observation.CustomerTotal(9, 1, 200))),
                    new dev.cdcchaos.harness.check.Snapshot(
                        1,
                        350_000_000,
                        new java.util.TreeMap<>(Map.of(0, 4L)),
                        List.of(v2.state()),
                        List.of(new Observation.CustomerTotal(9, 1, 200)))))
            .ledger(
                List.of(
                    new AppliedEvent("a", 1, 1, "t", 0, 0, 0),
                    new AppliedEvent("b", 1, 2, "t", 0, 1, 1)))
            .deadLetters(List.of(new DeadLetter("t", 0, 3, null, "not JSON")))
            .checkpoints(List.of(new Checkpoint("t", 0, 4)))
            .kafkaRecords(records)
            .lake(
                records.stream()
                    .map(
                        r -> new LakeRecord("f", r.topic(), r.partition(), r.offset(), r.eventId()))
                    .toList())
            .replayFromLake(Map.of(1L, v2.state()))
            .replayFromKafka(Map.of(1L, v2.state()))
            .drained(true)
            .convergeTime(Duration.ofMillis(800))
            .build();
    RunVerdict verdict = Checkers.run(o, List.of("all"));
    assertThat(verdict.overall()).as(verdict.results().toString()).isEqualTo(Verdict.VALID);

    Counts counts = Counts.of(o);
    assertThat(counts).isEqualTo(new Counts(2, 2, 2, 1, 1));

    Instant t0 = Instant.parse("2026-11-24T06:00:00Z");
    RunReport report =
        new RunReport(
            "tiny",
            "two events, one duplicate, one poison",
            7,
            "correct",
            t0,
            3_000,
            verdict.overall(),
            verdict.results(),
            counts,
            List.of(),
            List.of(),
            800L,
            30_000L,
            Map.of());
    Path run = ReportWriter.runDir(reports, "tiny", t0);
    ReportWriter.write(run, report, List.of());
    assertThat(ReportWriter.read(run)).isEqualTo(report);
    assertThat(Files.readString(run.resolve("report.md"))).contains("| duplicate-absorbed | 1 |");
    assertThat(Files.readString(run.resolve("report.html")))
        .as("no samples and no faults: the report says so instead of drawing empty charts")
        .contains("No samples were recorded.")
        .contains("No faults were injected.");
  }
}
