package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.RowDiff.Mismatch;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@code snapshot-consistent}: every snapshot of the serving warehouse read while the run went
 * holds exactly the fold of the Kafka records its checkpoints cover, and totals that equal the
 * totals of its own rows. This is what "the warehouse always equals the folded source" means for an
 * analyst reading it mid-run: no half-applied batch, no row the checkpoints do not cover, no
 * revenue counted twice until a later batch repairs it.
 *
 * <p>The records a snapshot covers: per partition, every record below the highest checkpoint seen
 * so far. A recorded {@code redeliver} moves a checkpoint back while the rows it covered stay (they
 * are applied again as duplicates), so the rows are compared with what the checkpoints had covered
 * before the rewind ({@link Rewinds}). Records the harness's envelope reader rejects (poison) fold
 * to nothing: a pipeline dead-letters them. A topic-wide checkpoint (no partition) says nothing
 * about any partition: such snapshots are unknown.
 *
 * <p>Evidence names the snapshot (index, time, checkpoints), the order ids and the expected and
 * actual rows, or the customer and both totals.
 */
public final class SnapshotConsistentChecker implements Checker {

  public static final String NAME = "snapshot-consistent";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    List<Snapshot> snapshots = o.snapshots();
    f.count("snapshots", snapshots.size());
    if (snapshots.isEmpty()) {
      f.unknown(
          "no snapshot of the serving warehouse was read while the run went",
          List.of("expected snapshots every reads.every while the run went, actual none"));
      return f.result("");
    }
    // by partition of the first incarnation (topic ""), or of a later one (its name)
    Map<Coord, List<KafkaRecord>> byPartition = new TreeMap<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      byPartition
          .computeIfAbsent(partitionOf(r.topic(), r.partition()), p -> new ArrayList<>())
          .add(r);
    }
    byPartition.values().forEach(l -> l.sort(Comparator.comparingLong(KafkaRecord::offset)));
    Map<Coord, Integer> cursor = new HashMap<>();
    Map<Coord, Long> covered = new TreeMap<>();
    SortedMap<Long, OrderState> fold = new TreeMap<>();
    Rewinds rewinds = Rewinds.of(o.history());

    long inconsistent = 0;
    long topicWide = 0;
    List<String> evidence = new ArrayList<>();
    List<Long> badOrders = new ArrayList<>();
    Snapshot previous = null;
    boolean previousBad = false;
    for (Snapshot s : snapshots) {
      if (s.checkpoints().containsKey(-1)) {
        topicWide++;
        continue;
      }
      boolean moved = false;
      for (Map.Entry<Integer, Long> cp : s.checkpoints().entrySet()) {
        moved |= raise(covered, partitionOf("", cp.getKey()), cp.getValue());
      }
      for (Map.Entry<String, SortedMap<Integer, Long>> later : s.incarnations().entrySet()) {
        for (Map.Entry<Integer, Long> cp : later.getValue().entrySet()) {
          moved |= raise(covered, partitionOf(later.getKey(), cp.getKey()), cp.getValue());
        }
      }
      for (Map.Entry<Integer, Long> from : rewinds.before(s.timeNanos()).entrySet()) {
        moved |= raise(covered, partitionOf("", from.getKey()), from.getValue());
      }
      for (Map.Entry<Coord, Long> c : covered.entrySet()) {
        List<KafkaRecord> log = byPartition.getOrDefault(c.getKey(), List.of());
        int i = cursor.getOrDefault(c.getKey(), 0);
        while (i < log.size() && log.get(i).offset() < c.getValue()) {
          KafkaRecord r = log.get(i++);
          if (r.event() != null) {
            OrderState state = r.event().state();
            fold.merge(state.orderId(), state, (a, b) -> b.version() > a.version() ? b : a);
          }
        }
        cursor.put(c.getKey(), i);
      }
      // the same rows against the same fold: the previous snapshot's judgement stands
      if (previous != null
          && !moved
          && previous.orders() == s.orders()
          && previous.totals() == s.totals()) {
        if (previousBad) {
          inconsistent++;
        }
        continue;
      }
      List<String> problems = judge(s, fold, badOrders);
      previous = s;
      previousBad = !problems.isEmpty();
      if (previousBad) {
        inconsistent++;
        if (evidence.size() < Evidence.FIRST) {
          evidence.add(where(s) + ": " + String.join("; ", problems));
        }
      }
    }
    f.count("inconsistent snapshots", inconsistent);
    if (inconsistent > 0) {
      f.invalid(
          inconsistent
              + " of "
              + snapshots.size()
              + " snapshots differ from the fold of the records their checkpoints cover, orders "
              + Evidence.ids(badOrders.stream().distinct().sorted().toList()),
          evidence);
    }
    if (topicWide > 0) {
      f.unknown(
          topicWide + " snapshots hold a topic-wide checkpoint, which covers no partition",
          List.of(
              "expected a checkpoint per partition, actual one for the whole topic in "
                  + topicWide
                  + " snapshots"));
    }
    return f.result(
        "each of "
            + snapshots.size()
            + " snapshots equals the fold of the records its checkpoints cover, with its own"
            + " totals");
  }

  /**
   * The key of a partition: of the first incarnation of the topic (whatever its name) or of a later
   * one (see {@link Incarnations}).
   */
  private static Coord partitionOf(String topic, int partition) {
    return new Coord(Incarnations.isLater(topic) ? topic : "", partition, 0);
  }

  private static boolean raise(Map<Coord, Long> covered, Coord partition, long offset) {
    Long before = covered.get(partition);
    if (before == null || offset > before) {
      covered.put(partition, offset);
      return true;
    }
    return false;
  }

  /** What is wrong with one snapshot, as evidence lines; empty when it is consistent. */
  private static List<String> judge(
      Snapshot s, SortedMap<Long, OrderState> fold, List<Long> badOrders) {
    List<String> problems = new ArrayList<>();
    Map<Long, Long> rowsPerOrder = new TreeMap<>();
    for (OrderState row : s.orders()) {
      rowsPerOrder.merge(row.orderId(), 1L, Long::sum);
    }
    rowsPerOrder.forEach(
        (id, n) -> {
          if (n > 1) {
            badOrders.add(id);
            problems.add("order " + id + ": expected one row, actual " + n);
          }
        });
    Map<Long, OrderState> actual = s.byOrder();
    List<Mismatch> diff = RowDiff.of(fold, actual);
    badOrders.addAll(RowDiff.ids(diff));
    problems.addAll(
        Evidence.firstFew(diff, m -> m.describe("fold of the covered records", "snapshot")));
    SortedMap<Long, CustomerTotal> own = Fold.customerTotals(actual);
    SortedMap<Long, CustomerTotal> read = Fold.normalize(s.totals());
    if (!own.equals(read)) {
      List<String> customers = new ArrayList<>();
      java.util.SortedSet<Long> ids = new java.util.TreeSet<>(own.keySet());
      ids.addAll(read.keySet());
      for (long c : ids) {
        if (!java.util.Objects.equals(own.get(c), read.get(c))) {
          customers.add(
              "customer "
                  + c
                  + ": expected "
                  + total(own.get(c))
                  + " (recomputed from the snapshot's rows), actual "
                  + total(read.get(c)));
        }
      }
      problems.add(
          customers.size()
              + " customer totals differ from the snapshot's own rows: "
              + String.join(
                  "; ", customers.subList(0, Math.min(Evidence.FIRST, customers.size()))));
    }
    return problems;
  }

  private static String total(CustomerTotal t) {
    return t == null ? "no row" : t.orderCount() + " orders, " + t.revenueCents() + " cents";
  }

  static String where(Snapshot s) {
    return "snapshot #"
        + s.index()
        + " at "
        + String.format(java.util.Locale.ROOT, "%.2f s", s.timeNanos() / 1e9)
        + " (checkpoints "
        + s.checkpoints()
        + ")";
  }
}
