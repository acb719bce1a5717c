package dev.cdcchaos.pipeline.source;

import dev.cdcchaos.pipeline.variant.Variant;

/** How the write path puts an order's change and its outbox event into transactions. */
public enum Transactions {
  /** One transaction for both: they commit or vanish together (the outbox pattern). */
  ONE,
  /**
   * Known-bad ({@code dual-write}): the change of {@code orders} commits in a first transaction and
   * the outbox event is inserted in a second one, so a crash between them loses the event.
   */
  DUAL_WRITE;

  /** The write path of {@code variant}; variants of other stages write in one transaction. */
  public static Transactions of(Variant variant) {
    return variant == Variant.DUAL_WRITE ? DUAL_WRITE : ONE;
  }
}
