package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.OrderState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One read of the serving warehouse while the run went on, as an analyst would have seen it: {@code
 * wh_orders}, {@code wh_customer_totals} and {@code wh_checkpoints} from one read transaction.
 *
 * @param index position among the run's snapshots, from 0
 * @param timeNanos when the answer arrived, nanoseconds since the run started (the history's clock)
 * @param checkpoints next offset to read by partition ({@code -1} for a topic-wide checkpoint)
 * @param orders the rows of {@code wh_orders}, in order id order (an order may appear twice in a
 *     broken warehouse)
 * @param totals the rows of {@code wh_customer_totals}
 * @param incarnations the checkpoints of later incarnations of the topic (deleted and created again
 *     during the run), by the name their records are recorded under ({@code <topic>~<topic id>},
 *     see {@link Incarnations}); {@code checkpoints} are the first one's
 */
public record Snapshot(
    long index,
    long timeNanos,
    SortedMap<Integer, Long> checkpoints,
    List<OrderState> orders,
    List<CustomerTotal> totals,
    Map<String, SortedMap<Integer, Long>> incarnations) {

  public Snapshot {
    checkpoints = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(checkpoints));
    orders = List.copyOf(orders);
    totals = List.copyOf(totals);
    Map<String, SortedMap<Integer, Long>> later = new TreeMap<>();
    incarnations.forEach(
        (t, cps) -> later.put(t, java.util.Collections.unmodifiableSortedMap(new TreeMap<>(cps))));
    incarnations = java.util.Collections.unmodifiableMap(later);
  }

  /** A snapshot of a topic that was never recreated. */
  public Snapshot(
      long index,
      long timeNanos,
      SortedMap<Integer, Long> checkpoints,
      List<OrderState> orders,
      List<CustomerTotal> totals) {
    this(index, timeNanos, checkpoints, orders, totals, Map.of());
  }

  /**
   * The snapshot's checkpoint of the partition a record of {@code topic} (as the observation names
   * it: the topic's name, or a later incarnation's) belongs to; null when it has none.
   */
  public Long checkpointOf(String topic, int partition) {
    if (Incarnations.isLater(topic)) {
      SortedMap<Integer, Long> cps = incarnations.get(topic);
      return cps == null ? null : cps.get(partition);
    }
    return checkpoints.get(partition);
  }

  /** The time of this snapshot in milliseconds since the run started. */
  public long timeMs() {
    return timeNanos / 1_000_000;
  }

  /** The rows by order id; of two rows of one order the higher version. */
  public Map<Long, OrderState> byOrder() {
    Map<Long, OrderState> m = new TreeMap<>();
    for (OrderState o : orders) {
      m.merge(o.orderId(), o, (a, b) -> b.version() > a.version() ? b : a);
    }
    return m;
  }

  /**
   * A short digest of the content (checkpoints, rows, totals), equal for equal states: recorded in
   * the history so two reads of one state can be told apart from two different ones.
   */
  public String digest() {
    return digest(
        incarnations.isEmpty()
            ? checkpoints
            : Map.of("checkpoints", checkpoints, "later", incarnations),
        orders,
        totals);
  }

  static String digest(Map<?, ?> checkpoints, List<OrderState> orders, List<CustomerTotal> totals) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(checkpoints.toString().getBytes(StandardCharsets.UTF_8));
      for (OrderState o : orders) {
        md.update(o.toString().getBytes(StandardCharsets.UTF_8));
      }
      for (CustomerTotal t : totals) {
        md.update(t.toString().getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
