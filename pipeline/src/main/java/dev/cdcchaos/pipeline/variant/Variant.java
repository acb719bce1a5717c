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
  DUAL_WRITE,
  // ---- the second tier: each imitates a bug reported in a public tracker (see imitates())
  /**
   * The consumer resumes by timestamp, not offset: after a restart it starts at the first record
   * newer than the last one applied, so the records that share that record's timestamp (a
   * publisher's send batch stamps many in one millisecond) and were not applied yet are skipped.
   * Several events share one checkpoint position, as in Debezium's LSN shared by a transaction's
   * events.
   */
  CHECKPOINT_BY_TIMESTAMP,
  /**
   * A consumer that finds no checkpoint starts at the end of the topic ({@code
   * auto.offset.reset=latest}) instead of its beginning, skipping the backlog written before it
   * first ran.
   */
  FRESH_START_AT_LATEST,
  /**
   * A poison record is retried forever instead of dead-lettered: its partition, and with it the
   * consumer, stops at it, while the consumer's status still says it is running.
   */
  POISON_RETRIED_FOREVER,
  /**
   * The warehouse's upsert writes, on a conflict, only the columns an update was thought to change
   * (status, total, version, deleted): the others ({@code customer_id}, {@code currency}, {@code
   * extras}) keep what an older version said, leaving partial rows (an order deleted and created
   * again for another customer keeps the first customer).
   */
  PARTIAL_ROW_UPSERT,
  /**
   * A second resubmission path: on start the publisher resubmits every unpublished row as a new
   * message, with a message id of its own, while the regular claim loop sends the same rows: each
   * of those events arrives twice under two ids, and no ledger can tell them apart.
   */
  RESUBMITTED_TWICE,
  /**
   * Deduplication by offset watermark: a record below its partition's checkpoint is dropped as one
   * already applied, and the consumer never asks which incarnation of the topic it reads; after the
   * topic is recreated (offsets restart at 0) every new record below the old checkpoints is
   * dropped.
   */
  OFFSET_WATERMARK_DEDUP,
  /**
   * An unfenced writer that commits a stale checkpoint: the consumer does not hold the warehouse
   * for its life but opens it for each batch (retrying while another process has it), so a second
   * consumer of the same warehouse writes too, and the checkpoint upsert is last-writer-wins. A
   * consumer paused past its session resumes with its stale position and commits offsets below the
   * ones the other consumer committed meanwhile: the checkpoint moves backwards.
   */
  UNFENCED_STALE_CHECKPOINT;

  /**
   * The public bug report a second-tier variant imitates ({@code owner/repo#number}); empty for the
   * first tier, designed from the pipeline's own seams.
   */
  public java.util.Optional<String> imitates() {
    return java.util.Optional.ofNullable(
        switch (this) {
          case CHECKPOINT_BY_TIMESTAMP -> "debezium/debezium#7531";
          case FRESH_START_AT_LATEST -> "apache/iceberg#18006";
          case POISON_RETRIED_FOREVER -> "spring-projects/spring-kafka#1287";
          case PARTIAL_ROW_UPSERT -> "duckdb/duckdb#16698";
          case RESUBMITTED_TWICE -> "spring-projects/spring-modulith#926";
          case OFFSET_WATERMARK_DEDUP -> "apache/iceberg#15293";
          case UNFENCED_STALE_CHECKPOINT -> "apache/iceberg#17551";
          default -> null;
        });
  }

  /** {@code designed} (the first tier) or {@code real-bug} (imitates a public report). */
  public String tier() {
    return imitates().isPresent() ? "real-bug" : "designed";
  }

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
