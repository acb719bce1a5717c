package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Snapshot;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.observe.ObservationFile;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stored run checked again from its saved observation, without servers. */
class AnalyzeCommandTest {
  @TempDir Path dir;

  private static Event event(long version, String status, long total) {
    OrderState state = new OrderState(1, 9, status, total, "EUR", version, false);
    Map<String, Object> extras = new java.util.LinkedHashMap<>();
    if (version == 2) {
      extras.put("channel", "web");
      extras.put("coupon", null);
    }
    return new Event(
        "e" + version,
        "k" + version,
        1,
        version == 1 ? Event.ORDER_CREATED : Event.ORDER_UPDATED,
        version,
        1,
        Instant.parse("2026-12-03T00:00:00Z").plusSeconds(version),
        state,
        extras);
  }

  /** One order, created then paid, delivered once each, read twice while the run went. */
  static Observation run() {
    Event v1 = event(1, "NEW", 100);
    Event v2 = event(2, "PAID", 200);
    List<KafkaRecord> records =
        List.of(KafkaRecord.of("t", 0, 0, v1), KafkaRecord.of("t", 0, 1, v2));
    List<Checkpoint> ends = List.of(new Checkpoint("t", 0, 2));
    List<Op> history = new ArrayList<>();
    history.add(new Op(0, 1_000_000, "writer-0", Op.Type.OK, "create", Map.of("event", "e1")));
    history.add(new Op(1, 2_000_000, "writer-0", Op.Type.OK, "update", Map.of("event", "e2")));
    return Observation.builder()
        .outbox(List.of(v1, v2))
        .markedPublished(List.of("e1", "e2"))
        .sourceOrders(Map.of(1L, v2.state()))
        .warehouseOrders(Map.of(1L, v2.state()))
        .customerTotals(List.of(new CustomerTotal(9, 1, 200)))
        .ledger(
            List.of(
                new AppliedEvent("e1", 1, 1, "t", 0, 0, 0),
                new AppliedEvent("e2", 1, 2, "t", 0, 1, 0)))
        .checkpoints(ends)
        .checkpointTrail(ends)
        .kafkaRecords(records)
        .partitionEnds(ends)
        .lake(
            records.stream()
                .map(r -> new LakeRecord("f", r.topic(), r.partition(), r.offset(), r.eventId()))
                .toList())
        .replayFromLake(Map.of(1L, v2.state()))
        .replayFromKafka(Map.of(1L, v2.state()))
        .snapshots(
            List.of(
                new Snapshot(
                    0,
                    50_000_000,
                    new TreeMap<>(Map.of(0, 1L)),
                    List.of(v1.state()),
                    List.of(new CustomerTotal(9, 1, 100))),
                new Snapshot(
                    1,
                    300_000_000,
                    new TreeMap<>(Map.of(0, 2L)),
                    List.of(v2.state()),
                    List.of(new CustomerTotal(9, 1, 200)))))
        .history(history)
        .drained(true)
        .convergeTime(Duration.ofMillis(400))
        .build();
  }

  private Path store(Observation o, RunVerdict verdict) {
    RunReport report =
        new RunReport(
            "tiny",
            "",
            1,
            "correct",
            Instant.parse("2026-12-03T00:00:00Z"),
            1000,
            verdict.overall(),
            verdict.results(),
            RunReport.Counts.of(o),
            List.of(),
            List.of(),
            400L,
            30_000L,
            Map.of());
    Path run = dir.resolve("tiny").resolve("run");
    ReportWriter.write(run, report, o.history());
    ObservationFile.write(run, o);
    return run;
  }

  @Test
  void theSavedObservationReadsBackAsItWas() throws Exception {
    Observation o = run();
    Path runDir = store(o, Checkers.run(o, List.of("all")));
    Observation back = ObservationFile.read(runDir, runDir.resolve(ReportWriter.HISTORY));
    assertThat(back).isEqualTo(o);
  }

  @Test
  void aStoredRunCheckedAgainReachesItsVerdict() throws Exception {
    Observation o = run();
    RunVerdict verdict = Checkers.run(o, List.of("all"));
    assertThat(verdict.overall()).as(verdict.results().toString()).isEqualTo(Verdict.VALID);
    Path runDir = store(o, verdict);
    AnalyzeCommand.Comparison c =
        AnalyzeCommand.compare(
            ReportWriter.read(runDir),
            ObservationFile.read(runDir, runDir.resolve(ReportWriter.HISTORY)));
    assertThat(c.verdict().overall()).isEqualTo(Verdict.VALID);
    assertThat(c.differences()).isEmpty();
  }

  @Test
  void aVerdictTheCheckersNoLongerReachIsNamed() throws Exception {
    Observation o = run();
    RunVerdict verdict = Checkers.run(o, List.of("all"));
    List<CheckResult> altered = new ArrayList<>();
    for (CheckResult r : verdict.results()) {
      altered.add(
          r.invariant().equals("no-loss")
              ? new CheckResult("no-loss", Verdict.INVALID, "1 event lost", List.of(), Map.of())
              : r);
    }
    Path runDir = store(o, new RunVerdict(Verdict.INVALID, altered));
    AnalyzeCommand.Comparison c =
        AnalyzeCommand.compare(
            ReportWriter.read(runDir),
            ObservationFile.read(runDir, runDir.resolve(ReportWriter.HISTORY)));
    assertThat(c.differences())
        .contains("overall: INVALID then, VALID now", "no-loss: INVALID then, VALID now");
  }
}
