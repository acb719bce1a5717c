package dev.cdcchaos.pipeline.publisher;

import static dev.cdcchaos.pipeline.source.jooq.Tables.OUTBOX_EVENTS;

import org.jooq.DSLContext;
import org.jooq.Record3;
import org.jooq.impl.DSL;

/**
 * An outbox id below which every row is published or will never exist, so that a claim can scan the
 * primary key from there instead of through an index on {@code published_at} (which would make
 * every mark a non-HOT update).
 *
 * <p>Rows commit out of id order: a transaction may take id 53, stay open, and commit after 54..900
 * were published. The floor therefore never passes an id on the strength of what is visible alone.
 * It moves in three steps, each in its own statement:
 *
 * <ol>
 *   <li>read the outbox sequence: every id up to that {@code horizon} has been handed out, and
 *       (through {@code outbox_next_id()}) only to transactions that already had a transaction id;
 *   <li>then take a transaction id of our own, {@code fence}: transaction ids are handed out in
 *       order, so every transaction holding an id up to the horizon has a lower one;
 *   <li>once no transaction with an id below the fence is still running (the {@code xmin} of a
 *       newer snapshot, computed from the process array, has reached the fence), every row with an
 *       id up to the horizon is visible or never will be. The floor moves to just below the lowest
 *       unpublished one, or to the horizon if there is none, and a new horizon is read when it gets
 *       there.
 * </ol>
 *
 * <p>Why not wait for the transactions a snapshot lists as in progress ({@code pg_snapshot_xip})? A
 * snapshot lists only transactions older than its {@code xmax}, which is the latest
 * <em>completed</em> transaction + 1: a writer that is the newest transaction and still open is in
 * progress for that snapshot without being listed. Waiting for the list let the floor pass that
 * writer's row, which then committed below the floor and was never claimed (issue 14, a stall seen
 * about once in 14 runs of {@code delivery-duplicates-and-reorder}; {@code
 * PublisherIT.theNewestTransactionStillOpenWhenTheFloorMovesIsStillPublished}). The fence costs no
 * extra transaction id in a busy outbox: the claim locks rows, which takes one anyway.
 *
 * <p>A row claimed by another publisher is unpublished until that publisher commits, so the floor
 * stops in front of it: a batch rolled back is claimed again. Every publisher keeps its own floor,
 * starting at 0. Needs an uncached outbox sequence ({@code CACHE 1}): a cached id can be used long
 * after the sequence moved past it; {@link #advance} refuses a cached one.
 */
final class ClaimFloor {

  static final String SEQUENCE = "outbox_events_id_seq";

  private long floor;
  private long horizon;
  private final Wait wait;
  private String fence; // null: no horizon being waited for

  /**
   * How the floor learns that every transaction that may still commit an id up to the horizon has
   * ended.
   */
  enum Wait {
    /** The correct way: a transaction id taken after the sequence read, and a newer xmin. */
    FENCE {
      @Override
      String mark(DSLContext tx) {
        return tx.resultQuery("SELECT pg_current_xact_id()::text").fetchOne(0, String.class);
      }

      @Override
      boolean settled(DSLContext tx, String mark) {
        // our own transaction id is never in our own snapshots, so the fence does not hold us
        return Boolean.TRUE.equals(
            tx.resultQuery(
                    "SELECT pg_snapshot_xmin(pg_current_snapshot()) >= CAST({0} AS xid8)",
                    DSL.val(mark))
                .fetchOne(0, Boolean.class));
      }
    },
    /**
     * Known-bad ({@code floor-trusts-snapshot-list}): waits for the transactions a snapshot lists
     * as in progress, which leaves out one newer than every completed transaction.
     */
    SNAPSHOT_LIST {
      @Override
      String mark(DSLContext tx) {
        return tx.resultQuery("SELECT pg_current_snapshot()::text").fetchOne(0, String.class);
      }

      @Override
      boolean settled(DSLContext tx, String mark) {
        return Boolean.TRUE.equals(
            tx.resultQuery(
                    "SELECT coalesce(bool_and(pg_visible_in_snapshot(x, pg_current_snapshot())),"
                        + " true) FROM pg_snapshot_xip(CAST({0} AS pg_snapshot)) AS x",
                    DSL.val(mark))
                .fetchOne(0, Boolean.class));
      }
    };

    /** Taken right after the sequence read. */
    abstract String mark(DSLContext tx);

    /** Whether every transaction that may hold an id up to the horizon has ended. */
    abstract boolean settled(DSLContext tx, String mark);
  }

  ClaimFloor() {
    this(Wait.FENCE);
  }

  ClaimFloor(Wait wait) {
    this.wait = wait;
  }

  private boolean sequenceChecked;

  /** The floor as last moved: every row with an id up to it is published or never commits. */
  long current() {
    return floor;
  }

  /** The current floor, moved as far as it safely goes; rows with higher ids may be unpublished. */
  long advance(DSLContext tx) {
    if (fence == null) {
      Record3<Long, Boolean, Long> seq =
          tx.resultQuery(
                  "SELECT s.last_value, s.is_called, q.seqcache FROM "
                      + SEQUENCE
                      + " s, pg_sequence q WHERE q.seqrelid = '"
                      + SEQUENCE
                      + "'::regclass")
              .coerce(
                  DSL.field("last_value", Long.class),
                  DSL.field("is_called", Boolean.class),
                  DSL.field("seqcache", Long.class))
              .fetchSingle();
      if (!sequenceChecked && seq.value3() != 1) {
        throw new IllegalStateException(
            SEQUENCE
                + " caches "
                + seq.value3()
                + " values per session; the publisher needs CACHE 1 to know which ids may still"
                + " commit (ALTER SEQUENCE "
                + SEQUENCE
                + " CACHE 1)");
      }
      sequenceChecked = true;
      horizon = seq.value2() ? seq.value1() : seq.value1() - 1;
      if (horizon < floor) {
        floor = 0; // the sequence was reset (TRUNCATE ... RESTART IDENTITY): start over
      }
      if (horizon == floor) {
        return floor; // no id handed out since: an idle outbox costs one read per claim
      }
      fence = wait.mark(tx);
    }
    if (!wait.settled(tx, fence)) {
      return floor;
    }
    Long firstUnpublished =
        tx.select(DSL.min(OUTBOX_EVENTS.ID))
            .from(OUTBOX_EVENTS)
            .where(OUTBOX_EVENTS.ID.gt(floor))
            .and(OUTBOX_EVENTS.ID.le(horizon))
            .and(OUTBOX_EVENTS.PUBLISHED_AT.isNull())
            .fetchOne(0, Long.class);
    floor = firstUnpublished == null ? horizon : firstUnpublished - 1;
    if (floor == horizon) {
      fence = null;
    }
    return floor;
  }
}
