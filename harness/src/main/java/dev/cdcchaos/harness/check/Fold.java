package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The reference semantics the warehouse must reach: what a correct consumer would hold after
 * applying every event once, in any order.
 *
 * <p><b>How the warehouse's {@code wh_customer_totals} is compared.</b> A customer's expected total
 * is {@code orderCount} = number of its orders that are not deleted (cancelled orders still count)
 * and {@code revenueCents} = sum of {@link OrderState#revenueCents()} (0 for deleted and cancelled
 * orders). Both sides are passed through {@link #normalize(Collection)}: a customer whose count and
 * revenue are both 0 is dropped, so "row (7, 0, 0)" and "no row for 7" are equal. Every other
 * customer must match exactly in both fields.
 */
public final class Fold {

  private Fold() {}

  /**
   * Per order id, the state carried by the event with the highest version, tombstones included. Two
   * events with the same order and version are the same change (a duplicate): the first one in list
   * order is kept.
   */
  public static SortedMap<Long, OrderState> orders(List<Event> events) {
    SortedMap<Long, OrderState> folded = new TreeMap<>();
    latest(events).forEach((id, event) -> folded.put(id, event.state()));
    return folded;
  }

  /**
   * Per order id, the event whose state {@link #orders} folds to: the highest version, the first in
   * list order of two with the same version.
   */
  public static SortedMap<Long, Event> latest(List<Event> events) {
    SortedMap<Long, Event> latest = new TreeMap<>();
    for (Event event : events) {
      long id = event.state().orderId();
      Event current = latest.get(id);
      if (current == null || event.state().version() > current.state().version()) {
        latest.put(id, event);
      }
    }
    return latest;
  }

  /** The rows that are not tombstones: what the source's {@code orders} table must hold. */
  public static SortedMap<Long, OrderState> live(Map<Long, OrderState> orders) {
    SortedMap<Long, OrderState> live = new TreeMap<>();
    orders.forEach(
        (id, row) -> {
          if (!row.deleted()) {
            live.put(id, row);
          }
        });
    return live;
  }

  /**
   * Per customer, the number of live orders and their revenue, normalised (customers with zero
   * orders and zero revenue are absent).
   */
  public static SortedMap<Long, CustomerTotal> customerTotals(Map<Long, OrderState> orders) {
    SortedMap<Long, long[]> sums = new TreeMap<>();
    for (OrderState row : orders.values()) {
      if (row.deleted()) {
        continue;
      }
      long[] sum = sums.computeIfAbsent(row.customerId(), c -> new long[2]);
      sum[0]++;
      sum[1] += row.revenueCents();
    }
    SortedMap<Long, CustomerTotal> totals = new TreeMap<>();
    sums.forEach((c, s) -> totals.put(c, new CustomerTotal(c, s[0], s[1])));
    return normalize(totals.values());
  }

  /**
   * Totals keyed by their own customer id, without all-zero rows: the form both sides are compared
   * in. Two rows for one customer are summed (the comparison then shows the double count).
   */
  public static SortedMap<Long, CustomerTotal> normalize(Collection<CustomerTotal> totals) {
    SortedMap<Long, CustomerTotal> normal = new TreeMap<>();
    for (CustomerTotal t : totals) {
      normal.merge(
          t.customerId(),
          t,
          (a, b) ->
              new CustomerTotal(
                  a.customerId(),
                  a.orderCount() + b.orderCount(),
                  a.revenueCents() + b.revenueCents()));
    }
    normal.values().removeIf(t -> t.orderCount() == 0 && t.revenueCents() == 0);
    return normal;
  }
}
