package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code accounting}: labels every committed outbox event with what happened to it on its way, and
 * counts events per stage. Invalid if any event is {@code lost}, {@code dead-lettered}, {@code
 * duplicate-visible} or {@code reordered-diverged}.
 *
 * <p>Labels, first match wins:
 *
 * <ol>
 *   <li>{@code lost}: neither in the ledger nor dead-lettered (unknown if the run did not drain,
 *       unless its outbox row is marked published and Kafka does not hold it), or applied but
 *       {@code wh_orders} holds an older version of its order, so its effect was overwritten
 *       (invalid either way). An acknowledged writer op whose change has no outbox event is lost at
 *       the source; it counts as lost too (history ops of a {@code writer*} process, type ok, with
 *       {@code orderId} and {@code version} in the value).
 *   <li>{@code dead-lettered}: found in {@code wh_dead_letters} (by the id the pipeline recorded,
 *       or by the Kafka record at the dead letter's coordinates as the harness decodes it), applied
 *       or not. A committed outbox event is valid, so a dead letter of it is a mistake: invalid
 *       either way, with the reason the pipeline gave. Dead letters are for poison only.
 *   <li>{@code duplicate-visible}: delivered more than once and visible: its event id has several
 *       ledger rows, or (drained runs) its order converged but its customer's {@code
 *       wh_customer_totals} is higher than the source's (a wrong row would explain a wrong total
 *       without any duplicate).
 *   <li>{@code reordered-diverged}: first reached Kafka after a newer version of its order, and its
 *       order's warehouse row differs from the fold, or (drained runs) its customer's total differs
 *       from the source's (unknown if the run did not drain).
 *   <li>{@code duplicate-absorbed}: delivered more than once (several Kafka records, or ledger
 *       duplicates), absorbed by the ledger and the version guard.
 *   <li>{@code reordered-converged}: reordered as above, and its order converged.
 *   <li>{@code delivered-once}: everything else.
 * </ol>
 *
 * <p>Stage counts ({@code stage:committed}, {@code stage:published}, {@code stage:lake}, {@code
 * stage:applied}, {@code stage:dead-lettered}) count distinct outbox events that reached the stage;
 * they feed the report's accounting chart.
 */
public final class AccountingChecker implements Checker {

  public static final String NAME = "accounting";

  public static final String DELIVERED_ONCE = "delivered-once";
  public static final String DUPLICATE_ABSORBED = "duplicate-absorbed";
  public static final String DUPLICATE_VISIBLE = "duplicate-visible";
  public static final String LOST = "lost";
  public static final String REORDERED_CONVERGED = "reordered-converged";
  public static final String REORDERED_DIVERGED = "reordered-diverged";
  public static final String DEAD_LETTERED = "dead-lettered";

  /** Every label, in the order reports show them: the expected ones, then the violations. */
  public static final List<String> LABELS =
      List.of(
          DELIVERED_ONCE,
          DUPLICATE_ABSORBED,
          REORDERED_CONVERGED,
          DUPLICATE_VISIBLE,
          REORDERED_DIVERGED,
          DEAD_LETTERED,
          LOST);

  /** Every stage count key, in pipeline order. */
  public static final List<String> STAGES =
      List.of(
          "stage:committed",
          "stage:published",
          "stage:lake",
          "stage:applied",
          "stage:dead-lettered");

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    if (o.outbox().isEmpty()) {
      f.unknown(
          "no event was committed, so nothing was tested",
          List.of("expected committed outbox events, actual none"));
    }
    Map<Long, OrderState> fold = Fold.orders(o.outbox());
    Map<String, Event> events = new HashMap<>();
    o.outbox().forEach(e -> events.put(e.eventId(), e));

    Map<String, Integer> ledgerRows = new HashMap<>();
    Map<String, Long> ledgerDuplicates = new HashMap<>();
    for (AppliedEvent a : o.ledger()) {
      ledgerRows.merge(a.eventId(), 1, Integer::sum);
      ledgerDuplicates.merge(a.eventId(), a.duplicates(), Long::sum);
    }
    Map<String, List<DeadLetter>> deadLettered = DeadLetters.ofOutboxEvents(o);
    Set<String> inLake = new HashSet<>();
    o.lake().stream().map(LakeRecord::eventId).forEach(inLake::add);
    Map<String, Integer> kafkaCount = new HashMap<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      if (r.eventId() != null) {
        kafkaCount.merge(r.eventId(), 1, Integer::sum);
      }
    }
    Set<String> reordered = reordered(o, events);
    Set<Long> inflated = new HashSet<>();
    Set<Long> differing = new HashSet<>();
    if (o.drained()) {
      compareTotals(o, fold, inflated, differing);
    }

    Map<String, Long> labelCounts = new LinkedHashMap<>();
    LABELS.forEach(l -> labelCounts.put(l, 0L));
    List<String> lostLagging = new ArrayList<>();
    List<String> lostForSure = new ArrayList<>();
    List<String> visible = new ArrayList<>();
    List<String> diverged = new ArrayList<>();
    List<String> rejected = new ArrayList<>();
    for (Event e : o.outbox()) {
      String id = e.eventId();
      boolean applied = ledgerRows.containsKey(id);
      boolean duplicated =
          kafkaCount.getOrDefault(id, 0) > 1
              || ledgerDuplicates.getOrDefault(id, 0L) > 0
              || ledgerRows.getOrDefault(id, 0) > 1;
      OrderState wh = o.warehouseOrders().get(e.orderId());
      boolean rowConverged = Objects.equals(wh, fold.get(e.orderId()));
      String label;
      if (!applied
          && !deadLettered.containsKey(id)
          && o.markedPublished().contains(id)
          && !kafkaCount.containsKey(id)) {
        label = LOST;
        lostForSure.add(
            describe(e) + ": outbox row marked published, expected in Kafka, actual absent");
      } else if (!applied && !deadLettered.containsKey(id)) {
        label = LOST;
        lostLagging.add(
            describe(e)
                + ": expected applied or dead-lettered, actual neither (published: "
                + (kafkaCount.containsKey(id) ? "yes" : "no")
                + ", in lake: "
                + (inLake.contains(id) ? "yes" : "no")
                + ")");
      } else if (applied && (wh == null || wh.version() < e.version())) {
        label = LOST;
        lostForSure.add(
            describe(e)
                + ": applied but overwritten, expected wh_orders at v"
                + e.version()
                + " or newer, actual "
                + Evidence.row(wh));
      } else if (deadLettered.containsKey(id)) {
        label = DEAD_LETTERED;
        rejected.add(
            describe(e)
                + ": expected applied, actual dead-lettered "
                + DeadLetters.where(deadLettered.get(id))
                + (applied ? " (another copy was applied)" : ""));
      } else if (ledgerRows.getOrDefault(id, 0) > 1
          || (duplicated && rowConverged && inflated.contains(e.state().customerId()))) {
        label = DUPLICATE_VISIBLE;
        visible.add(
            describe(e)
                + ": delivered "
                + Math.max(kafkaCount.getOrDefault(id, 0), ledgerRows.getOrDefault(id, 0))
                + "x, "
                + (ledgerRows.getOrDefault(id, 0) > 1
                    ? ledgerRows.get(id) + " ledger rows"
                    : "customer " + e.state().customerId() + " total counted too high"));
      } else if (reordered.contains(id)
          && (!Objects.equals(wh, fold.get(e.orderId()))
              || differing.contains(e.state().customerId()))) {
        label = REORDERED_DIVERGED;
        diverged.add(
            describe(e)
                + ": arrived after a newer version; "
                + (Objects.equals(wh, fold.get(e.orderId()))
                    ? "customer " + e.state().customerId() + " total differs from the source"
                    : "expected "
                        + Evidence.row(fold.get(e.orderId()))
                        + ", actual "
                        + Evidence.row(wh)));
      } else if (duplicated) {
        label = DUPLICATE_ABSORBED;
      } else if (reordered.contains(id)) {
        label = REORDERED_CONVERGED;
      } else {
        label = DELIVERED_ONCE;
      }
      labelCounts.merge(label, 1L, Long::sum);
    }

    List<String> sourceLost = acknowledgedWritesMissing(o);
    labelCounts.merge(LOST, (long) sourceLost.size(), Long::sum);

    if (!lostForSure.isEmpty()) {
      f.invalid(
          lostForSure.size()
              + " events lost for good (marked published but not in Kafka, or applied and"
              + " overwritten by an older version)",
          Evidence.firstFew(lostForSure, s -> s));
    }
    if (!sourceLost.isEmpty()) {
      f.invalid(
          sourceLost.size() + " acknowledged writes with no outbox event",
          Evidence.firstFew(sourceLost, s -> s));
    }
    if (!rejected.isEmpty()) {
      f.invalid(
          rejected.size()
              + " committed events dead-lettered (a valid event is never poison, so each is lost)",
          Evidence.firstFew(rejected, s -> s));
    }
    if (!visible.isEmpty()) {
      f.invalid(visible.size() + " events visibly duplicated", Evidence.firstFew(visible, s -> s));
    }
    if (!lostLagging.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          lostLagging.size() + " events never applied nor dead-lettered",
          Evidence.firstFew(lostLagging, s -> s));
    }
    if (!diverged.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          diverged.size() + " reordered events whose order did not converge",
          Evidence.firstFew(diverged, s -> s));
    }

    labelCounts.forEach(f::count);
    f.count("stage:committed", o.outbox().size());
    f.count(
        "stage:published",
        o.outbox().stream().filter(e -> kafkaCount.containsKey(e.eventId())).count());
    f.count("stage:lake", o.outbox().stream().filter(e -> inLake.contains(e.eventId())).count());
    f.count(
        "stage:applied",
        o.outbox().stream().filter(e -> ledgerRows.containsKey(e.eventId())).count());
    f.count(
        "stage:dead-lettered",
        o.outbox().stream().filter(e -> deadLettered.containsKey(e.eventId())).count());
    return f.result(
        o.outbox().size()
            + " events: "
            + labelCounts.get(DELIVERED_ONCE)
            + " delivered once, "
            + labelCounts.get(DUPLICATE_ABSORBED)
            + " duplicates absorbed, "
            + labelCounts.get(REORDERED_CONVERGED)
            + " reordered and converged, none lost, dead-lettered or visibly duplicated");
  }

  private static String describe(Event e) {
    return "order " + e.orderId() + " v" + e.version() + " " + e.type() + " event " + e.eventId();
  }

  /**
   * Events whose first Kafka record comes after a record of a newer version of the same order in
   * the same partition.
   */
  private static Set<String> reordered(Observation o, Map<String, Event> events) {
    List<KafkaRecord> records = new ArrayList<>(o.kafkaRecords());
    records.sort(Comparator.comparing(Coord::of));
    Set<String> seen = new HashSet<>();
    Map<Coord, Long> newest = new HashMap<>();
    Set<String> reordered = new HashSet<>();
    for (KafkaRecord r : records) {
      Event e = r.eventId() == null ? null : events.get(r.eventId());
      if (e == null || !seen.add(e.eventId())) {
        continue;
      }
      Coord key = new Coord(r.topic(), r.partition(), e.orderId());
      Long max = newest.get(key);
      if (max != null && e.version() < max) {
        reordered.add(e.eventId());
      }
      newest.merge(key, e.version(), Math::max);
    }
    return reordered;
  }

  /** Customers whose warehouse total is higher than the source's, and those that differ at all. */
  private static void compareTotals(
      Observation o, Map<Long, OrderState> fold, Set<Long> inflated, Set<Long> differing) {
    Map<Long, CustomerTotal> expected = Fold.customerTotals(fold);
    Map<Long, CustomerTotal> actual = Fold.normalize(o.customerTotals().values());
    Set<Long> customers = new HashSet<>(expected.keySet());
    customers.addAll(actual.keySet());
    for (long c : customers) {
      CustomerTotal e = expected.getOrDefault(c, new CustomerTotal(c, 0, 0));
      CustomerTotal a = actual.getOrDefault(c, new CustomerTotal(c, 0, 0));
      if (!e.equals(a)) {
        differing.add(c);
      }
      if (a.orderCount() > e.orderCount() || a.revenueCents() > e.revenueCents()) {
        inflated.add(c);
      }
    }
  }

  private static List<String> acknowledgedWritesMissing(Observation o) {
    Set<List<Long>> committed = new HashSet<>();
    o.outbox().forEach(e -> committed.add(List.of(e.orderId(), e.version())));
    Map<List<Long>, Op> missing =
        new TreeMap<>(
            Comparator.comparing((List<Long> k) -> k.get(0)).thenComparing(k -> k.get(1)));
    for (Op op : o.history()) {
      if (op.type() != Op.Type.OK || op.process() == null || !op.process().startsWith("writer")) {
        continue;
      }
      if (op.value().get("orderId") instanceof Number order
          && op.value().get("version") instanceof Number version) {
        List<Long> key = List.of(order.longValue(), version.longValue());
        if (!committed.contains(key)) {
          missing.put(key, op);
        }
      }
    }
    List<String> lines = new ArrayList<>();
    missing.forEach(
        (k, op) ->
            lines.add(
                "order "
                    + k.get(0)
                    + " v"
                    + k.get(1)
                    + ": "
                    + op.process()
                    + " "
                    + op.f()
                    + " acknowledged (history op "
                    + op.index()
                    + "), expected an outbox event, actual none"));
    return lines;
  }
}
