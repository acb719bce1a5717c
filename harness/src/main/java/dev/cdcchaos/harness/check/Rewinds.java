package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.history.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The checkpoint rewinds a {@code redeliver} fault recorded in the history: when, which partition,
 * from which offset to which. Only these may move a checkpoint back; the rows the old checkpoint
 * covered stay in the warehouse.
 */
final class Rewinds {

  /** One partition's rewind. */
  record Rewind(long timeNanos, int partition, long from, long to) {}

  private final List<Rewind> rewinds;

  private Rewinds(List<Rewind> rewinds) {
    this.rewinds = List.copyOf(rewinds);
  }

  /**
   * The rewinds in {@code history}: nemesis notes {@code redeliver} with {@code partition}, {@code
   * offset} (rewound to) and {@code from} (the checkpoint before; when absent, the rewound offset).
   */
  static Rewinds of(List<Op> history) {
    List<Rewind> out = new ArrayList<>();
    for (Op op : history) {
      if (!"nemesis".equals(op.process()) || !"redeliver".equals(op.f())) {
        continue;
      }
      Object p = op.value().get("partition");
      Object to = op.value().get("offset");
      if (!(p instanceof Number partition) || !(to instanceof Number offset)) {
        continue; // the fault's own invoke/ok entries carry no partition
      }
      Object from = op.value().get("from");
      out.add(
          new Rewind(
              op.timeNanos(),
              partition.intValue(),
              from instanceof Number n ? n.longValue() : offset.longValue(),
              offset.longValue()));
    }
    return new Rewinds(out);
  }

  /** Per partition, the highest offset a rewind recorded at or before {@code timeNanos} left. */
  Map<Integer, Long> before(long timeNanos) {
    Map<Integer, Long> from = new TreeMap<>();
    for (Rewind r : rewinds) {
      if (r.timeNanos() <= timeNanos) {
        from.merge(r.partition(), r.from(), Math::max);
      }
    }
    return from;
  }

  /** Whether a rewind of {@code partition} was recorded in {@code (afterNanos, untilNanos]}. */
  boolean between(int partition, long afterNanos, long untilNanos) {
    return rewinds.stream()
        .anyMatch(
            r ->
                r.partition() == partition
                    && r.timeNanos() > afterNanos
                    && r.timeNanos() <= untilNanos);
  }
}
