package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.RowDiff.Mismatch;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.util.List;
import java.util.Map;

/**
 * {@code converged}: {@code wh_orders} equals fold(outbox) including tombstones, and the live rows
 * of that fold equal the Postgres {@code orders} table.
 *
 * <p>When the run did not drain, a warehouse row that is missing or older than the fold may be lag
 * and is reported unknown. A warehouse row newer than any event, an equal version with different
 * content, or an order no event created can never be lag and is invalid either way; so is any
 * difference between Postgres and the fold, since a writer commits the row and its outbox event in
 * one transaction.
 */
public final class ConvergedChecker implements Checker {

  public static final String NAME = "converged";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    Map<Long, OrderRow> fold = Fold.orders(o.outbox());
    Map<Long, OrderRow> live = Fold.live(fold);

    List<Mismatch> warehouse = RowDiff.of(fold, o.warehouseOrders());
    List<Mismatch> behind = warehouse.stream().filter(Mismatch::behind).toList();
    List<Mismatch> impossible = warehouse.stream().filter(m -> !m.behind()).toList();
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
    return f.result(
        "wh_orders equals fold(outbox) on "
            + fold.size()
            + " orders ("
            + (fold.size() - live.size())
            + " tombstones) and Postgres orders equals its live rows");
  }
}
