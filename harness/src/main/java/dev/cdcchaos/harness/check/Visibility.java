package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How long committed changes took to become visible to a reader of the serving warehouse: per
 * outbox event, from its source commit (the writer's {@code ok} in the history) to the first
 * snapshot whose row of the order has reached the event's version. Also the number of committed
 * events not yet visible at each snapshot, the curve Jepsen draws as "unseen over time".
 *
 * @param events committed events whose commit time the history gives
 * @param seen of those, the ones a snapshot showed
 * @param p50Ms median time from commit to the first snapshot that showed the event
 * @param p99Ms 99th percentile of the same
 * @param maxMs the slowest
 * @param unseen at each snapshot, the events committed by then that it did not show yet
 */
public record Visibility(
    long events, long seen, long p50Ms, long p99Ms, long maxMs, List<Point> unseen) {

  /** Events committed but not yet visible at time {@code tMs} (since the run started). */
  public record Point(long tMs, long unseen) {}

  public Visibility {
    unseen = List.copyOf(unseen);
  }

  /** The figures of a run, or empty when no snapshot or no commit time was observed. */
  public static Optional<Visibility> of(Observation o) {
    if (o.snapshots().isEmpty()) {
      return Optional.empty();
    }
    Map<String, Long> committedAt = commitTimes(o.history());
    record Pending(long orderId, long version, long committedNanos) {}
    List<Pending> events = new ArrayList<>();
    for (Event e : o.outbox()) {
      Long t = committedAt.get(e.eventId());
      if (t != null) {
        events.add(new Pending(e.orderId(), e.version(), t));
      }
    }
    if (events.isEmpty()) {
      return Optional.empty();
    }
    events.sort(Comparator.comparingLong(Pending::committedNanos));
    Map<Long, Deque<Pending>> waiting = new HashMap<>();
    List<Long> latencies = new ArrayList<>();
    List<Point> curve = new ArrayList<>();
    int next = 0;
    long pending = 0;
    for (Snapshot s : o.snapshots()) {
      while (next < events.size() && events.get(next).committedNanos() <= s.timeNanos()) {
        Pending p = events.get(next++);
        waiting.computeIfAbsent(p.orderId(), k -> new ArrayDeque<>()).add(p);
        pending++;
      }
      Map<Long, OrderState> rows = s.byOrder();
      for (var it = waiting.entrySet().iterator(); it.hasNext(); ) {
        var entry = it.next();
        OrderState row = rows.get(entry.getKey());
        if (row == null) {
          continue;
        }
        Deque<Pending> queue = entry.getValue();
        // an order's events commit in version order: the shown version covers a prefix
        for (var q = queue.iterator(); q.hasNext(); ) {
          Pending p = q.next();
          if (p.version() <= row.version()) {
            latencies.add((s.timeNanos() - p.committedNanos()) / 1_000_000);
            pending--;
            q.remove();
          }
        }
        if (queue.isEmpty()) {
          it.remove();
        }
      }
      curve.add(new Point(s.timeMs(), pending));
    }
    latencies.sort(Long::compare);
    return Optional.of(
        new Visibility(
            events.size(),
            latencies.size(),
            percentile(latencies, 50),
            percentile(latencies, 99),
            latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1),
            curve));
  }

  /** The commit time of each event a writer committed: its {@code ok} in the history. */
  static Map<String, Long> commitTimes(List<Op> history) {
    Map<String, Long> at = new HashMap<>();
    for (Op op : history) {
      if (op.type() == Op.Type.OK
          && op.process().startsWith("writer")
          && op.value().get("event") instanceof String id) {
        at.putIfAbsent(id, op.timeNanos());
      }
    }
    return at;
  }

  private static long percentile(List<Long> sorted, int p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
