package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, healthy pipeline run built by hand: every event published once, in version order, into
 * two partitions by order id, written to the lake once, applied once; tests break one thing.
 */
final class Fixture {

  static final String TOPIC = "cdc.orders";

  private Fixture() {}

  static Event event(
      long order, long version, String type, long customer, String status, long total) {
    OrderState state =
        new OrderState(
            order, customer, status, total, "EUR", version, Event.ORDER_DELETED.equals(type));
    return new Event(
        "e-" + order + "-" + version,
        "k-" + order + "-" + version,
        order,
        type,
        version,
        1,
        Instant.parse("2026-11-24T00:00:00Z").plusSeconds(version),
        state,
        Map.of());
  }

  /** Orders 1 (created, updated), 2 (created, cancelled), 3 (created, deleted), 4 (created). */
  static List<Event> outbox() {
    return List.of(
        event(1, 1, Event.ORDER_CREATED, 10, "NEW", 1000),
        event(2, 1, Event.ORDER_CREATED, 10, "NEW", 2000),
        event(3, 1, Event.ORDER_CREATED, 20, "NEW", 3000),
        event(1, 2, Event.ORDER_UPDATED, 10, "PAID", 1500),
        event(2, 2, Event.ORDER_CANCELLED, 10, "CANCELLED", 2000),
        event(3, 2, Event.ORDER_DELETED, 20, "NEW", 3000),
        event(4, 1, Event.ORDER_CREATED, 20, "NEW", 4000));
  }

  static int partitionOf(long orderId) {
    return (int) (orderId % 2);
  }

  /** Publishes the events in the given order: one Kafka record each, offsets per partition. */
  static List<KafkaRecord> publish(List<Event> events) {
    Map<Integer, Long> next = new HashMap<>();
    List<KafkaRecord> records = new ArrayList<>();
    for (Event e : events) {
      int p = partitionOf(e.orderId());
      long offset = next.merge(p, 1L, Long::sum) - 1;
      records.add(KafkaRecord.of(TOPIC, p, offset, e));
    }
    return records;
  }

  static List<LakeRecord> lakeOf(List<KafkaRecord> records) {
    return records.stream()
        .map(
            r ->
                new LakeRecord(
                    "lake/orders/date=2026-11-24/"
                        + r.topic()
                        + "-"
                        + r.partition()
                        + "-0-9.parquet",
                    r.topic(),
                    r.partition(),
                    r.offset(),
                    r.eventId()))
        .toList();
  }

  static List<AppliedEvent> ledgerOf(List<Event> events, List<KafkaRecord> records) {
    Map<String, Event> byId = new HashMap<>();
    events.forEach(e -> byId.put(e.eventId(), e));
    Map<String, AppliedEvent> ledger = new java.util.LinkedHashMap<>();
    for (KafkaRecord r : records) {
      Event e = byId.get(r.eventId());
      if (e == null) {
        continue;
      }
      AppliedEvent prior = ledger.get(e.eventId());
      ledger.put(
          e.eventId(),
          prior == null
              ? new AppliedEvent(
                  e.eventId(), e.orderId(), e.version(), r.topic(), r.partition(), r.offset(), 0)
              : new AppliedEvent(
                  prior.eventId(),
                  prior.orderId(),
                  prior.version(),
                  prior.topic(),
                  prior.partition(),
                  prior.offset(),
                  prior.duplicates() + 1));
    }
    return List.copyOf(ledger.values());
  }

  static List<Checkpoint> endsOf(List<KafkaRecord> records) {
    Map<Integer, Long> ends = new java.util.TreeMap<>();
    records.forEach(r -> ends.merge(r.partition(), r.offset() + 1, Math::max));
    List<Checkpoint> cps = new ArrayList<>();
    ends.forEach((p, end) -> cps.add(new Checkpoint(TOPIC, p, end)));
    return cps;
  }

  /**
   * A drained run of a correct pipeline over {@link #outbox()}, read twice while it went (see
   * {@link SnapshotsFixture}).
   */
  static Observation healthy() {
    return correctRun(outbox(), outbox()).toBuilder()
        .snapshots(List.of(SnapshotsFixture.early(0, 100), SnapshotsFixture.complete(1, 600)))
        .build();
  }

  /**
   * What a correct pipeline ends with when {@code delivered} (events of {@code outbox}, maybe
   * duplicated or reordered) went through Kafka in that order.
   */
  static Observation correctRun(List<Event> outbox, List<Event> delivered) {
    Map<Long, OrderState> fold = Fold.orders(outbox);
    List<KafkaRecord> records = publish(delivered);
    List<Checkpoint> ends = endsOf(records);
    return Observation.builder()
        .outbox(outbox)
        .sourceOrders(Fold.live(fold))
        .warehouseOrders(fold)
        .customerTotals(List.copyOf(Fold.customerTotals(fold).values()))
        .ledger(ledgerOf(outbox, records))
        .checkpoints(ends)
        .checkpointTrail(ends)
        .kafkaRecords(records)
        .partitionEnds(ends)
        .lake(lakeOf(records))
        .replayFromLake(fold)
        .replayFromKafka(fold)
        .drained(true)
        .convergeTime(Duration.ofMillis(1200))
        .convergeBound(Duration.ofSeconds(30))
        .build();
  }

  static Map<Long, OrderState> with(Map<Long, OrderState> rows, OrderState row) {
    Map<Long, OrderState> copy = new HashMap<>(rows);
    copy.put(row.orderId(), row);
    return copy;
  }

  static Map<Long, OrderState> without(Map<Long, OrderState> rows, long orderId) {
    Map<Long, OrderState> copy = new HashMap<>(rows);
    copy.remove(orderId);
    return copy;
  }

  static <T> List<T> without(List<T> list, java.util.function.Predicate<T> drop) {
    return list.stream().filter(drop.negate()).toList();
  }

  static <T> List<T> plus(List<T> list, T extra) {
    List<T> copy = new ArrayList<>(list);
    copy.add(extra);
    return copy;
  }

  static Event byId(String eventId) {
    return outbox().stream().filter(e -> e.eventId().equals(eventId)).findFirst().orElseThrow();
  }
}
