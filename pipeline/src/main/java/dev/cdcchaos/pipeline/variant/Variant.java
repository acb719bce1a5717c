package dev.cdcchaos.pipeline.variant;

import java.util.Arrays;
import java.util.Locale;

/**
 * Known-bad versions of the pipeline, each a small realistic mistake built through the pipeline's
 * seams. The harness must catch every one of them; {@link #CORRECT} is the reference pipeline.
 */
public enum Variant {
  CORRECT,
  /** The consumer commits its checkpoint/offset before the warehouse write. */
  OFFSET_BEFORE_WRITE,
  /** The upsert applies whatever arrives last, ignoring versions. */
  NO_VERSION_GUARD,
  /** The publisher marks rows published before the send is acknowledged. */
  MARK_BEFORE_SEND,
  /**
   * The publisher polls {@code id > last seen}, losing events when writers commit out of id order.
   */
  ID_CURSOR_POLLING,
  /** The consumer updates {@code wh_customer_totals} without consulting the idempotency ledger. */
  NO_IDEMPOTENCY_LEDGER,
  /** Lake files get random names, so a replayed batch is written twice. */
  LAKE_APPEND_RANDOM_NAME,
  /** A poison message makes the consumer skip the rest of its batch. */
  DLQ_DROPS_BATCH,
  /** The publisher's mark statement marks every unpublished row, not only the claimed ones. */
  MARK_ALL_PUBLISHED,
  /** Warehouse rows and checkpoint are written in separate transactions. */
  NON_ATOMIC_CHECKPOINT,
  /** One checkpoint per topic instead of per partition, so a restart seeks wrong. */
  CHECKPOINT_IGNORES_PARTITION,
  /**
   * The consumer saves its checkpoint in a second transaction after the batch, at most once a
   * second: the end state is right, but a reader sees rows no checkpoint covers.
   */
  DEFERRED_CHECKPOINT,
  /**
   * The publisher's claim floor waits only for the transactions a snapshot lists as in progress
   * ({@code pg_snapshot_xip}), which leaves out a writer newer than every completed transaction:
   * its row falls below the floor and is never sent (issue 14's stall).
   */
  FLOOR_TRUSTS_SNAPSHOT_LIST,
  /**
   * The application writes the order and its outbox event in two transactions (a dual write): a
   * crash between them leaves a change without its event.
   */
  DUAL_WRITE;

  /** The name used on command lines and in scenario files, e.g. {@code offset-before-write}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Parses a {@link #cliName()}; the error lists the valid names. */
  public static Variant parse(String name) {
    for (Variant v : values()) {
      if (v.cliName().equals(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException(
        "unknown variant '"
            + name
            + "', expected one of "
            + Arrays.stream(values()).map(Variant::cliName).toList());
  }
}
