package dev.cdcchaos.pipeline.event;

/**
 * The full state of one order at one aggregate version: what an event carries, what {@code orders}
 * holds in the source, what {@code wh_orders} holds in the warehouse and what a fold of events
 * yields. A deleted order is a tombstone ({@code deleted = true}); the warehouse keeps tombstones
 * so that a late, older event cannot resurrect the order, while the source simply has no row.
 */
public record OrderRow(
    long orderId,
    long customerId,
    String status,
    long totalCents,
    String currency,
    long version,
    boolean deleted) {

  /**
   * Whether this row is the same order state as {@code other}, ignoring nothing: used by checkers
   * for diffs.
   */
  public boolean sameAs(OrderRow other) {
    return equals(other);
  }

  /** Revenue this order contributes to its customer's total: live, not cancelled. */
  public long revenueCents() {
    return deleted || "CANCELLED".equals(status) ? 0 : totalCents;
  }
}
