package dev.cdcchaos.harness.model;

/**
 * The full state of one order at one aggregate version, as the oracle models it: what an event
 * carries, what the source's {@code orders} holds, what {@code wh_orders} holds and what a fold of
 * events yields. A deleted order is a tombstone ({@code deleted = true}); the source simply has no
 * row for it.
 */
public record OrderState(
    long orderId,
    long customerId,
    String status,
    long totalCents,
    String currency,
    long version,
    boolean deleted) {

  /** The status of a cancelled order, which still counts as an order but brings no revenue. */
  public static final String CANCELLED = "CANCELLED";

  /** Revenue this order contributes to its customer's total: 0 when deleted or cancelled. */
  public long revenueCents() {
    return deleted || CANCELLED.equals(status) ? 0 : totalCents;
  }
}
