package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Snapshots of the serving warehouse built by hand over {@link Fixture#outbox()}, published in
 * outbox order: partition 0 holds order 2 v1, order 2 v2 (cancelled), order 4 v1 at offsets 0..2;
 * partition 1 holds order 1 v1, order 3 v1, order 1 v2, order 3 v2 (deleted) at offsets 0..3.
 */
final class SnapshotsFixture {

  static final OrderState O1V1 = new OrderState(1, 10, "NEW", 1000, "EUR", 1, false);
  static final OrderState O1V2 = new OrderState(1, 10, "PAID", 1500, "EUR", 2, false);
  static final OrderState O2V1 = new OrderState(2, 10, "NEW", 2000, "EUR", 1, false);
  static final OrderState O2V2 = new OrderState(2, 10, "CANCELLED", 2000, "EUR", 2, false);
  static final OrderState O3V1 = new OrderState(3, 20, "NEW", 3000, "EUR", 1, false);
  static final OrderState O3V2 = new OrderState(3, 20, "NEW", 3000, "EUR", 2, true);
  static final OrderState O4V1 = new OrderState(4, 20, "NEW", 4000, "EUR", 1, false);

  private SnapshotsFixture() {}

  static List<KafkaRecord> records() {
    return Fixture.publish(Fixture.outbox());
  }

  /** A snapshot at {@code ms} with checkpoints {0: p0, 1: p1}, these rows and these totals. */
  static Snapshot snapshot(
      long index, long ms, long p0, long p1, List<OrderState> rows, List<CustomerTotal> totals) {
    Map<Integer, Long> cps = new TreeMap<>();
    cps.put(0, p0);
    cps.put(1, p1);
    return new Snapshot(index, ms * 1_000_000, new TreeMap<>(cps), rows, totals);
  }

  /** Early: p0 offset 0 (order 2 v1), p1 offsets 0..1 (orders 1 and 3 at v1). */
  static Snapshot early(long index, long ms) {
    return snapshot(
        index,
        ms,
        1,
        2,
        List.of(O1V1, O2V1, O3V1),
        List.of(new CustomerTotal(10, 2, 3000), new CustomerTotal(20, 1, 3000)));
  }

  /** Everything applied: order 1 paid, 2 cancelled, 3 deleted (a tombstone), 4 new. */
  static Snapshot complete(long index, long ms) {
    return snapshot(
        index,
        ms,
        3,
        4,
        List.of(O1V2, O2V2, O3V2, O4V1),
        List.of(new CustomerTotal(10, 2, 1500), new CustomerTotal(20, 1, 4000)));
  }

  static Observation with(List<Snapshot> snapshots, Op... history) {
    return Fixture.healthy().toBuilder()
        .snapshots(snapshots)
        .history(new ArrayList<>(List.of(history)))
        .build();
  }

  static Op redeliver(long ms, int partition, long to, long from) {
    return new Op(
        0,
        ms * 1_000_000,
        "nemesis",
        Op.Type.INFO,
        "redeliver",
        Map.of("topic", Fixture.TOPIC, "partition", partition, "offset", to, "from", from));
  }
}
