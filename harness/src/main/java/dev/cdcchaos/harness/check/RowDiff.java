package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedSet;
import java.util.TreeSet;

/** The orders on which two tables disagree, by order id. */
final class RowDiff {

  /** One disagreeing order; a side is null when that table has no row for it. */
  record Mismatch(long orderId, OrderState expected, OrderState actual) {

    /** The actual row is missing or older: what a consumer that is behind would show. */
    boolean behind() {
      return actual == null || (expected != null && actual.version() < expected.version());
    }

    String describe(String expectedName, String actualName) {
      return "order "
          + orderId
          + ": expected "
          + Evidence.row(expected)
          + " ("
          + expectedName
          + "), actual "
          + Evidence.row(actual)
          + " ("
          + actualName
          + ")";
    }
  }

  private RowDiff() {}

  static List<Mismatch> of(Map<Long, OrderState> expected, Map<Long, OrderState> actual) {
    SortedSet<Long> ids = new TreeSet<>(expected.keySet());
    ids.addAll(actual.keySet());
    List<Mismatch> mismatches = new ArrayList<>();
    for (long id : ids) {
      OrderState e = expected.get(id);
      OrderState a = actual.get(id);
      if (!Objects.equals(e, a)) {
        mismatches.add(new Mismatch(id, e, a));
      }
    }
    return mismatches;
  }

  static List<Long> ids(List<Mismatch> mismatches) {
    return mismatches.stream().map(Mismatch::orderId).toList();
  }
}
