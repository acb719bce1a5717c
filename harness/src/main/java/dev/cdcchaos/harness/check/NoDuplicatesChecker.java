package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code no-duplicates}: no duplicate is visible anywhere a reader would count it. One {@code
 * wh_orders} row per order; each event id once in the ledger; {@code wh_customer_totals} equal to
 * the totals recomputed from the source (fold of the outbox, compared as described in {@link
 * Fold}), because the additive aggregate is what double-counts when a duplicate slips past the
 * ledger.
 *
 * <p>An applied event whose id the outbox never held is invalid too: a copy of an event sent under
 * an id of its own is a duplicate that no ledger of event ids can absorb.
 *
 * <p>Two rows for one order or one event id twice in the ledger is invalid either way. A totals
 * difference is invalid after a drained run and unknown otherwise (a consumer that is behind shows
 * old totals, higher or lower).
 */
public final class NoDuplicatesChecker implements Checker {

  public static final String NAME = "no-duplicates";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);

    SortedMap<Long, List<OrderState>> rowsByOrder = new TreeMap<>();
    for (OrderState row : o.warehouseRows()) {
      rowsByOrder.computeIfAbsent(row.orderId(), id -> new ArrayList<>()).add(row);
    }
    rowsByOrder.values().removeIf(rows -> rows.size() < 2);
    if (!rowsByOrder.isEmpty()) {
      f.invalid(
          rowsByOrder.size()
              + " orders with more than one wh_orders row: "
              + Evidence.ids(rowsByOrder.keySet()),
          Evidence.firstFew(
              rowsByOrder.entrySet(),
              e ->
                  "order "
                      + e.getKey()
                      + ": expected 1 row, actual "
                      + e.getValue().size()
                      + ": "
                      + e.getValue().stream()
                          .map(Evidence::row)
                          .collect(Collectors.joining(", "))));
    }

    SortedMap<String, List<AppliedEvent>> ledgerById = new TreeMap<>();
    for (AppliedEvent a : o.ledger()) {
      ledgerById.computeIfAbsent(a.eventId(), id -> new ArrayList<>()).add(a);
    }
    ledgerById.values().removeIf(rows -> rows.size() < 2);
    if (!ledgerById.isEmpty()) {
      f.invalid(
          ledgerById.size()
              + " event ids held more than once by wh_applied_events, orders "
              + Evidence.ids(
                  ledgerById.values().stream()
                      .map(rows -> rows.get(0).orderId())
                      .collect(Collectors.toCollection(TreeSet::new))),
          Evidence.firstFew(
              ledgerById.entrySet(),
              e ->
                  "event "
                      + e.getKey()
                      + " (order "
                      + e.getValue().get(0).orderId()
                      + "): expected 1 ledger row, actual "
                      + e.getValue().size()
                      + " at "
                      + e.getValue().stream()
                          .map(a -> Evidence.coords(a.topic(), a.partition(), a.offset()))
                          .collect(Collectors.joining(", "))));
    }

    // an applied event the source never committed: a copy sent under an id of its own (two
    // resubmission paths, spring-modulith#926) is a duplicate no ledger of event ids can see
    java.util.Set<String> committed =
        o.outbox().stream()
            .map(dev.cdcchaos.harness.model.Event::eventId)
            .collect(Collectors.toSet());
    Map<String, dev.cdcchaos.harness.model.Event> byOrderVersion = new java.util.HashMap<>();
    for (dev.cdcchaos.harness.model.Event e : o.outbox()) {
      byOrderVersion.putIfAbsent(e.orderId() + "/" + e.version(), e);
    }
    List<AppliedEvent> foreign =
        o.ledger().stream().filter(a -> !committed.contains(a.eventId())).toList();
    if (!foreign.isEmpty()) {
      f.invalid(
          foreign.size()
              + " applied events that the source never committed (event ids not in the outbox),"
              + " orders "
              + Evidence.ids(
                  foreign.stream()
                      .map(AppliedEvent::orderId)
                      .collect(Collectors.toCollection(TreeSet::new))),
          Evidence.firstFew(
              foreign,
              a -> {
                dev.cdcchaos.harness.model.Event same =
                    byOrderVersion.get(a.orderId() + "/" + a.version());
                return "event "
                    + a.eventId()
                    + " (order "
                    + a.orderId()
                    + " v"
                    + a.version()
                    + ") at "
                    + Evidence.coords(a.topic(), a.partition(), a.offset())
                    + ": expected only events of the outbox, actual an id the outbox never held"
                    + (same == null
                        ? ""
                        : "; the outbox has event "
                            + same.eventId()
                            + " for that order version,"
                            + " so this is a second copy of it under a new id");
              }));
    }
    f.count("applied events not in the outbox", foreign.size());

    Map<Long, CustomerTotal> expected = Fold.customerTotals(Fold.orders(o.outbox()));
    Map<Long, CustomerTotal> actual = Fold.normalize(o.customerTotals().values());
    TreeSet<Long> customers = new TreeSet<>(expected.keySet());
    customers.addAll(actual.keySet());
    List<Long> differing = new ArrayList<>();
    for (long c : customers) {
      if (!Objects.equals(expected.get(c), actual.get(c))) {
        differing.add(c);
      }
    }
    if (!differing.isEmpty()) {
      // customers counted too high first: that is what a duplicate slipping past the ledger shows
      differing.sort(
          java.util.Comparator.comparing(
              (Long c) ->
                  !(revenue(actual.get(c)) > revenue(expected.get(c))
                      || count(actual.get(c)) > count(expected.get(c)))));
      long inflated =
          differing.stream()
              .filter(
                  c ->
                      revenue(actual.get(c)) > revenue(expected.get(c))
                          || count(actual.get(c)) > count(expected.get(c)))
              .count();
      f.invalidIfDrained(
          o.drained(),
          differing.size()
              + " customers whose wh_customer_totals differ from the totals of the source ("
              + inflated
              + " counted too high): "
              + Evidence.ids(differing),
          Evidence.firstFew(
              differing,
              c ->
                  "customer "
                      + c
                      + ": expected "
                      + total(expected.get(c))
                      + " (recomputed from the source), actual "
                      + total(actual.get(c))
                      + " (wh_customer_totals)"));
    }

    f.count("warehouse rows", o.warehouseRows().size());
    f.count("orders with several rows", rowsByOrder.size());
    f.count("ledger rows", o.ledger().size());
    f.count("event ids repeated in ledger", ledgerById.size());
    f.count("duplicates absorbed", o.ledger().stream().mapToLong(AppliedEvent::duplicates).sum());
    f.count("customers", customers.size());
    f.count("customers differing", differing.size());
    return f.result(
        "one row per order, each event id once in the ledger, totals of "
            + expected.size()
            + " customers equal the source");
  }

  private static long revenue(CustomerTotal t) {
    return t == null ? 0 : t.revenueCents();
  }

  private static long count(CustomerTotal t) {
    return t == null ? 0 : t.orderCount();
  }

  private static String total(CustomerTotal t) {
    return t == null
        ? "0 orders / 0 cents (no row)"
        : t.orderCount() + " orders / " + t.revenueCents() + " cents";
  }
}
