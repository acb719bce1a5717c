package dev.cdcchaos.harness.check;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.PoisonAt;
import dev.cdcchaos.harness.check.RowDiff.Mismatch;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code converged}: {@code wh_orders} equals fold(outbox) including tombstones, the live rows of
 * that fold equal the Postgres {@code orders} table, and no injected poison record reached the
 * warehouse.
 *
 * <p>When the run did not drain, a warehouse row that is missing or older than the fold may be lag
 * and is reported unknown. A warehouse row newer than any event, an equal version with different
 * content, or an order no event created can never be lag and is invalid either way; so is any
 * difference between Postgres and the fold, since a writer commits the row and its outbox event in
 * one transaction.
 *
 * <p><b>Poison</b> belongs here because the warehouse must hold the folded source and nothing else.
 * A record the harness injected as poison ({@link Observation#injectedPoison()}) must be
 * dead-lettered, never applied. It reached the warehouse, invalid either way, when:
 *
 * <ul>
 *   <li>a {@code wh_applied_events} row sits at its coordinates, or carries the event id it claims
 *       and no outbox event has that id;
 *   <li>{@code wh_orders} holds a row for the order it claims ({@link Observation#poisonClaims()})
 *       that the fold does not explain: the fold has no such order, or the row is the claimed
 *       state;
 *   <li>a customer's {@code wh_customer_totals} row differs from the source's by exactly what some
 *       of the poison records claiming an order of that customer would add.
 * </ul>
 */
public final class ConvergedChecker implements Checker {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static final String NAME = "converged";

  /** Poison records per customer beyond which subsets are not tried (2^16 sums at most). */
  private static final int MAX_SUBSET = 16;

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    Map<Long, OrderState> fold = Fold.orders(o.outbox());
    Map<Long, OrderState> live = Fold.live(fold);

    Set<Long> poisonOrders = poison(o, fold, f);

    List<Mismatch> warehouse = RowDiff.of(fold, o.warehouseOrders());
    List<Mismatch> behind = warehouse.stream().filter(Mismatch::behind).toList();
    List<Mismatch> impossible =
        warehouse.stream().filter(m -> !m.behind() && !poisonOrders.contains(m.orderId())).toList();
    if (!impossible.isEmpty()) {
      f.invalid(
          impossible.size()
              + " orders in wh_orders that no lag explains (newer than any event, same version"
              + " with other content, or never created): "
              + Evidence.ids(RowDiff.ids(impossible)),
          Evidence.firstFew(impossible, m -> m.describe("fold(outbox)", "wh_orders")));
    }
    if (!behind.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          behind.size()
              + " orders missing or stale in wh_orders: "
              + Evidence.ids(RowDiff.ids(behind)),
          Evidence.firstFew(behind, m -> m.describe("fold(outbox)", "wh_orders")));
    }

    String extrasChecked = extras(o, fold, f);
    versionGaps(o, f);

    List<Mismatch> source = RowDiff.of(live, o.sourceOrders());
    if (!source.isEmpty()) {
      f.invalid(
          source.size()
              + " orders where Postgres orders differs from the live rows of fold(outbox): "
              + Evidence.ids(RowDiff.ids(source)),
          Evidence.firstFew(source, m -> m.describe("fold(outbox)", "Postgres orders")));
    }

    f.count("orders", fold.size());
    f.count("tombstones", fold.size() - live.size());
    f.count("warehouse rows", o.warehouseOrders().size());
    f.count("source rows", o.sourceOrders().size());
    f.count("warehouse mismatches", warehouse.size());
    f.count("source mismatches", source.size());
    f.count("poison records", o.injectedPoison().size());
    return f.result(
        "wh_orders equals fold(outbox) on "
            + fold.size()
            + " orders ("
            + (fold.size() - live.size())
            + " tombstones), Postgres orders equals its live rows, and none of "
            + o.injectedPoison().size()
            + " poison records reached the warehouse; "
            + extrasChecked);
  }

  /**
   * Every change a writer commits takes the order's next version (a re-created order goes on from
   * its tombstone's), in one transaction with its outbox event. A version missing from an order's
   * line in the outbox while a later one is there is a change committed without its event: the
   * outbox's one promise broken at the source (a dual write), which a later full-row event can hide
   * from the fold.
   */
  private static void versionGaps(Observation o, Findings f) {
    Map<Long, java.util.BitSet> versions = new TreeMap<>();
    for (Event e : o.outbox()) {
      if (e.version() >= 1 && e.version() <= Integer.MAX_VALUE) {
        versions.computeIfAbsent(e.orderId(), k -> new java.util.BitSet()).set((int) e.version());
      }
    }
    List<String> gaps = new ArrayList<>();
    versions.forEach(
        (order, line) -> {
          int last = line.length() - 1;
          int missing = line.nextClearBit(1);
          if (missing < last) {
            List<Integer> absent = new ArrayList<>();
            for (int v = missing; v < last && absent.size() < 5; v = line.nextClearBit(v + 1)) {
              absent.add(v);
            }
            gaps.add(
                "order "
                    + order
                    + ": the outbox holds v"
                    + last
                    + " but not v"
                    + absent.stream().map(String::valueOf).collect(Collectors.joining(", v"))
                    + " (a change committed without its event)");
          }
        });
    if (!gaps.isEmpty()) {
      f.invalid(
          gaps.size() + " orders whose version line in the outbox has gaps",
          Evidence.firstFew(gaps, x -> x));
    }
  }

  /**
   * Compares {@code wh_orders.extras} with the unknown payload fields of each order's folded event
   * ({@link Fold#latest}): schema drift must reach the warehouse, never be dropped or left from an
   * older version. Only rows at the fold's version are compared (an older row is lag or already
   * reported). Returns what was compared, for the summary.
   */
  private static String extras(Observation o, Map<Long, OrderState> fold, Findings f) {
    if (o.warehouseExtras().isEmpty()) {
      return "unknown payload fields (extras) not compared: wh_orders has no extras column";
    }
    Map<Long, String> actual = o.warehouseExtras().get();
    Map<Long, Event> winners = Fold.latest(o.outbox());
    SortedMap<Long, String> wrong = new TreeMap<>();
    int compared = 0;
    int withExtras = 0;
    for (Map.Entry<Long, OrderState> entry : fold.entrySet()) {
      long order = entry.getKey();
      OrderState row = o.warehouseOrders().get(order);
      Event winner = winners.get(order);
      if (row == null || winner == null || !row.equals(entry.getValue())) {
        continue;
      }
      compared++;
      Map<String, Object> expected = winner.extras();
      if (!expected.isEmpty()) {
        withExtras++;
      }
      String text = actual.get(order);
      Object parsed;
      try {
        parsed = text == null ? null : JSON.readValue(text, Object.class);
      } catch (JsonProcessingException e) {
        parsed = "(not JSON: " + text + ")";
      }
      boolean same =
          expected.isEmpty()
              ? parsed == null || (parsed instanceof Map<?, ?> m && m.isEmpty())
              : expected.equals(parsed);
      if (!same) {
        wrong.put(
            order,
            "order "
                + order
                + " v"
                + winner.version()
                + ": expected extras "
                + json(expected)
                + " (event "
                + winner.eventId()
                + "), actual "
                + (text == null ? "null" : text)
                + " (wh_orders.extras)");
      }
    }
    f.count("extras compared", compared);
    if (!wrong.isEmpty()) {
      f.invalid(
          wrong.size()
              + " orders whose wh_orders.extras differ from the unknown payload fields of their"
              + " folded event (schema drift dropped or left from another version): "
              + Evidence.ids(wrong.keySet()),
          Evidence.firstFew(List.copyOf(wrong.values()), x -> x));
    }
    return "extras equal the folded event's unknown payload fields on "
        + compared
        + " orders ("
        + withExtras
        + " with any)";
  }

  /** Reports poison that reached the warehouse; returns the order ids it explains. */
  private static Set<Long> poison(Observation o, Map<Long, OrderState> fold, Findings f) {
    Set<Long> explained = new HashSet<>();
    if (o.injectedPoison().isEmpty()) {
      return explained;
    }
    Set<Coord> injected = new HashSet<>();
    o.injectedPoison().forEach(r -> injected.add(Coord.of(r)));
    List<PoisonAt> claims =
        o.poisonClaims().stream()
            .filter(c -> injected.contains(new Coord(c.topic(), c.partition(), c.offset())))
            .toList();
    Set<String> outboxIds = new HashSet<>();
    o.outbox().forEach(e -> outboxIds.add(e.eventId()));
    Map<String, PoisonAt> byClaimedId = new HashMap<>();
    for (PoisonAt c : claims) {
      if (c.claim().eventId() != null && !outboxIds.contains(c.claim().eventId())) {
        byClaimedId.putIfAbsent(c.claim().eventId(), c);
      }
    }

    List<String> applied = new ArrayList<>();
    for (AppliedEvent a : o.ledger()) {
      Coord at = new Coord(a.topic(), a.partition(), a.offset());
      PoisonAt byId = byClaimedId.get(a.eventId());
      if (injected.contains(at) || byId != null) {
        applied.add(
            "injected poison at "
                + (injected.contains(at) ? at : poisonCoords(byId))
                + ": expected dead-lettered, actual applied (wh_applied_events row: event "
                + a.eventId()
                + ", order "
                + a.orderId()
                + " v"
                + a.version()
                + " at "
                + at
                + ")");
      }
    }
    if (!applied.isEmpty()) {
      f.invalid(
          applied.size() + " injected poison records applied as events",
          Evidence.firstFew(applied, s -> s));
    }

    SortedMap<Long, List<String>> inOrders = new TreeMap<>();
    for (PoisonAt c : claims) {
      Long order = c.claim().orderId();
      OrderState actual = order == null ? null : o.warehouseOrders().get(order);
      if (actual == null || Objects.equals(actual, fold.get(order))) {
        continue;
      }
      if (fold.get(order) == null || actual.equals(c.claim().state())) {
        explained.add(order);
        inOrders
            .computeIfAbsent(order, k -> new ArrayList<>())
            .add(
                "order "
                    + order
                    + ": injected poison at "
                    + poisonCoords(c)
                    + " claims it; expected "
                    + Evidence.row(fold.get(order))
                    + " (fold(outbox)), actual "
                    + Evidence.row(actual)
                    + " (wh_orders)");
      }
    }
    if (!inOrders.isEmpty()) {
      f.invalid(
          inOrders.size()
              + " orders in wh_orders that only injected poison claims: "
              + Evidence.ids(inOrders.keySet()),
          Evidence.firstFew(inOrders.values().stream().map(l -> l.get(0)).toList(), s -> s));
    }

    List<String> inTotals = totals(o, fold, claims);
    if (!inTotals.isEmpty()) {
      f.invalid(
          inTotals.size()
              + " customers whose wh_customer_totals differ from the source's by exactly what"
              + " injected poison claims",
          Evidence.firstFew(inTotals, s -> s));
    }
    return explained;
  }

  /**
   * Customers whose total differs from the source's by the sum of what a non-empty subset of the
   * poison records claiming new orders of theirs would add (one order unless a tombstone, and its
   * revenue).
   */
  private static List<String> totals(
      Observation o, Map<Long, OrderState> fold, List<PoisonAt> claims) {
    Map<Long, List<PoisonAt>> byCustomer = new TreeMap<>();
    for (PoisonAt c : claims) {
      OrderState s = c.claim().state();
      if (s != null && !fold.containsKey(s.orderId())) {
        byCustomer.computeIfAbsent(s.customerId(), k -> new ArrayList<>()).add(c);
      }
    }
    Map<Long, CustomerTotal> expected = Fold.customerTotals(fold);
    Map<Long, CustomerTotal> actual = Fold.normalize(o.customerTotals().values());
    List<String> lines = new ArrayList<>();
    byCustomer.forEach(
        (customer, list) -> {
          CustomerTotal e = expected.getOrDefault(customer, new CustomerTotal(customer, 0, 0));
          CustomerTotal a = actual.getOrDefault(customer, new CustomerTotal(customer, 0, 0));
          long dCount = a.orderCount() - e.orderCount();
          long dRevenue = a.revenueCents() - e.revenueCents();
          if (dCount == 0 && dRevenue == 0) {
            return;
          }
          List<PoisonAt> tried = list.subList(0, Math.min(list.size(), MAX_SUBSET));
          for (int mask = 1; mask < (1 << tried.size()); mask++) {
            long count = 0;
            long revenue = 0;
            List<PoisonAt> subset = new ArrayList<>();
            for (int i = 0; i < tried.size(); i++) {
              if ((mask & (1 << i)) != 0) {
                OrderState s = tried.get(i).claim().state();
                count += s.deleted() ? 0 : 1;
                revenue += s.revenueCents();
                subset.add(tried.get(i));
              }
            }
            if (count == dCount && revenue == dRevenue) {
              lines.add(
                  "customer "
                      + customer
                      + ": expected "
                      + e.orderCount()
                      + " orders / "
                      + e.revenueCents()
                      + " cents (recomputed from the source), actual "
                      + a.orderCount()
                      + " orders / "
                      + a.revenueCents()
                      + " cents (wh_customer_totals), the difference injected poison claims at "
                      + subset.stream()
                          .map(ConvergedChecker::poisonCoords)
                          .collect(Collectors.joining(", ")));
              return;
            }
          }
        });
    return lines;
  }

  private static String json(Map<String, Object> extras) {
    try {
      return JSON.writeValueAsString(extras);
    } catch (JsonProcessingException e) {
      return String.valueOf(extras);
    }
  }

  private static String poisonCoords(PoisonAt c) {
    return Evidence.coords(c.topic(), c.partition(), c.offset())
        + (c.claim().orderId() == null ? "" : " (order " + c.claim().orderId() + ")");
  }
}
