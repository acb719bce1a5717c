package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;

/** Formatting of evidence for people: the first few items, then how many more. */
final class Evidence {

  static final int FIRST = 5;

  private Evidence() {}

  /** The first {@link #FIRST} items formatted, then "... and N more" if there are more. */
  static <T> List<String> firstFew(Collection<T> items, Function<T, String> format) {
    List<String> lines = new ArrayList<>();
    Iterator<T> it = items.iterator();
    for (int i = 0; i < FIRST && it.hasNext(); i++) {
      lines.add(format.apply(it.next()));
    }
    if (items.size() > FIRST) {
      lines.add("... and " + (items.size() - FIRST) + " more");
    }
    return lines;
  }

  /** "17, 42, 99" or "1, 2, 3, 4, 5 ... and 7 more". */
  static String ids(Collection<?> ids) {
    StringBuilder sb = new StringBuilder();
    Iterator<?> it = ids.iterator();
    for (int i = 0; i < FIRST && it.hasNext(); i++) {
      sb.append(i == 0 ? "" : ", ").append(it.next());
    }
    if (ids.size() > FIRST) {
      sb.append(" ... and ").append(ids.size() - FIRST).append(" more");
    }
    return sb.toString();
  }

  /** A compact row: {@code {v3 customer=7 PAID 1200 EUR}} or {@code {v4 customer=7 DELETED}}. */
  static String row(OrderState row) {
    if (row == null) {
      return "<no row>";
    }
    return "{v"
        + row.version()
        + " customer="
        + row.customerId()
        + (row.deleted() ? " DELETED" : "")
        + " "
        + row.status()
        + " "
        + row.totalCents()
        + " "
        + row.currency()
        + "}";
  }

  static String coords(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }
}
