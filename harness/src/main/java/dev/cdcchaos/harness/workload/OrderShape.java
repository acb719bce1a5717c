package dev.cdcchaos.harness.workload;

import java.util.Locale;

/**
 * The life an order of the workload leads. Most orders are {@link #PLAIN}; a {@code edge_fraction}
 * of them take one of the shapes that sit at the edges of what the pipeline must get right, as a
 * property-based generator biases its draws towards edge cases. Drawn per order from the seed, so a
 * shrunk workload keeps each kept order's shape.
 */
public enum OrderShape {
  /** Create, the spec's updates, maybe a cancel, maybe a delete. */
  PLAIN,
  /** A long-lived aggregate: many more versions than the spec's updates. */
  HOT,
  /**
   * Its writer makes all its changes back to back, so several versions of one order land in one
   * consumer batch (the others' are spread across batches).
   */
  BURST,
  /** Cancelled, then updated again: revenue leaves the customer's total and comes back. */
  REINSTATED,
  /**
   * Deleted, then created again under the same id for another customer: the version line goes on
   * past the tombstone, and the totals move between customers.
   */
  RECREATED,
  /** Deleted straight after its create: a tombstone at version 2. */
  DELETED_EARLY,
  /** Totals at the edges of their range: 0, 1 cent and a trillion cents. */
  BOUNDARY;

  /** The name used in reports, e.g. {@code deleted-early}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
