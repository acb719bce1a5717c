package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The checkers on a run of realistic size (30,000 events over 6,000 orders, 3 partitions, 5%
 * duplicates): every checker must stay linear-ish, and a single lost event among them must still be
 * found. Seeded; the seed is in the test.
 */
class CheckersScaleTest {

  @Test
  void thirtyThousandEventsAreCheckedQuicklyAndOneLossIsFound() {
    Random random = new Random(20261124);
    int orders = 6_000;
    List<Event> outbox = new ArrayList<>();
    for (long id = 1; id <= orders; id++) {
      outbox.add(Fixture.event(id, 1, Event.ORDER_CREATED, id % 997, "NEW", 100 + id));
    }
    long[] version = new long[orders + 1];
    java.util.Arrays.fill(version, 1);
    while (outbox.size() < 30_000) {
      int id = 1 + random.nextInt(orders);
      long v = ++version[id];
      outbox.add(
          Fixture.event(
              id, v, Event.ORDER_UPDATED, id % 997, v % 5 == 0 ? "CANCELLED" : "PAID", 100 + v));
    }
    List<KafkaRecord> records = new ArrayList<>();
    List<AppliedEvent> ledger = new ArrayList<>();
    Map<Integer, Long> next = new HashMap<>();
    Map<String, Integer> ledgerIndex = new HashMap<>();
    for (Event e : outbox) {
      int copies = random.nextInt(20) == 0 ? 2 : 1;
      for (int c = 0; c < copies; c++) {
        int p = (int) (e.orderId() % 3);
        long offset = next.merge(p, 1L, Long::sum) - 1;
        records.add(KafkaRecord.of("t", p, offset, e));
        Integer at = ledgerIndex.get(e.eventId());
        if (at == null) {
          ledgerIndex.put(e.eventId(), ledger.size());
          ledger.add(new AppliedEvent(e.eventId(), e.orderId(), e.version(), "t", p, offset, 0));
        } else {
          AppliedEvent a = ledger.get(at);
          ledger.set(
              at,
              new AppliedEvent(
                  a.eventId(),
                  a.orderId(),
                  a.version(),
                  a.topic(),
                  a.partition(),
                  a.offset(),
                  a.duplicates() + 1));
        }
      }
    }
    List<Checkpoint> ends = new ArrayList<>();
    next.forEach((p, end) -> ends.add(new Checkpoint("t", p, end)));
    Map<Long, OrderState> fold = Fold.orders(outbox);
    // forty reads of the final state, each its own copy, so none is skipped as unchanged
    java.util.TreeMap<Integer, Long> endOffsets = new java.util.TreeMap<>(next);
    List<Snapshot> snapshots = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      snapshots.add(
          new Snapshot(
              i,
              i * 250_000_000L,
              endOffsets,
              new ArrayList<>(fold.values()),
              new ArrayList<>(Fold.customerTotals(fold).values())));
    }
    Observation o =
        Observation.builder()
            .snapshots(snapshots)
            .outbox(outbox)
            .sourceOrders(Fold.live(fold))
            .warehouseOrders(fold)
            .customerTotals(List.copyOf(Fold.customerTotals(fold).values()))
            .ledger(ledger)
            .checkpoints(ends)
            .checkpointTrail(ends)
            .kafkaRecords(records)
            .partitionEnds(ends)
            .lake(
                records.stream()
                    .map(
                        r -> new LakeRecord("f", r.topic(), r.partition(), r.offset(), r.eventId()))
                    .toList())
            .replayFromLake(fold)
            .replayFromKafka(fold)
            .drained(true)
            .convergeTime(Duration.ofSeconds(1))
            .build();

    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = threads.getCurrentThreadCpuTime();
    RunVerdict healthy = Checkers.run(o, List.of("all"));
    long healthyMs = (threads.getCurrentThreadCpuTime() - t0) / 1_000_000;
    System.out.printf(
        "checked %d events, %d records in %d ms cpu%n", outbox.size(), records.size(), healthyMs);
    assertThat(healthy.overall()).as(healthy.results().toString()).isEqualTo(Verdict.VALID);

    String victim = outbox.get(12_345).eventId();
    RunVerdict lossy =
        Checkers.run(
            o.toBuilder().ledger(Fixture.without(ledger, a -> a.eventId().equals(victim))).build(),
            List.of("all"));
    assertThat(lossy.overall()).isEqualTo(Verdict.INVALID);
    assertThat(lossy.result("no-loss").orElseThrow().evidence())
        .singleElement()
        .asString()
        .contains(victim);
  }
}
