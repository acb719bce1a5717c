package dev.cdcchaos.pipeline.publisher;

import static dev.cdcchaos.pipeline.source.jooq.Tables.OUTBOX_EVENTS;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.jooq.DSLContext;
import org.jooq.Record7;
import org.jooq.ResultQuery;
import org.jooq.SelectConditionStep;
import org.jooq.impl.DSL;

/**
 * How the publisher picks the outbox rows of its next batch, inside the batch's transaction. {@link
 * #published} is told after the batch committed.
 */
public interface ClaimStrategy {

  /** Up to {@code limit} rows to send, in id order. */
  List<OutboxRecord> claim(DSLContext tx, int limit);

  /** The batch holding {@code records} committed. */
  default void published(List<OutboxRecord> records) {}

  /** An id at or below which every row is known to be published (0: nothing known). */
  default long knownPublishedThrough() {
    return 0;
  }

  /**
   * The correct claim: unpublished rows, locked, skipping rows another publisher holds. A row
   * committed late with a lower id is still unpublished and is picked up by a later claim: the scan
   * starts at a {@link ClaimFloor} that never passes an id a transaction may still commit.
   */
  final class SkipLocked implements ClaimStrategy {
    private final ClaimFloor floor;

    public SkipLocked() {
      this(new ClaimFloor());
    }

    SkipLocked(ClaimFloor floor) {
      this.floor = floor;
    }

    /**
     * Known-bad ({@code floor-trusts-snapshot-list}): the floor waits only for the transactions a
     * snapshot lists as in progress, so it passes the row of a writer that is the newest
     * transaction and still open, and that row is never claimed once it commits.
     */
    public static SkipLocked trustingTheSnapshotList() {
      return new SkipLocked(new ClaimFloor(ClaimFloor.Wait.SNAPSHOT_LIST));
    }

    @Override
    public List<OutboxRecord> claim(DSLContext tx, int limit) {
      long from = floor.advance(tx);
      return fetchRecords(
          tx,
          select(tx, OUTBOX_EVENTS.ID.gt(from).and(OUTBOX_EVENTS.PUBLISHED_AT.isNull()))
              .orderBy(OUTBOX_EVENTS.ID)
              .limit(limit)
              .forUpdate()
              .skipLocked());
    }

    @Override
    public long knownPublishedThrough() {
      return floor.current();
    }
  }

  /**
   * Known-bad ({@code id-cursor-polling}): remembers the highest id sent and asks for {@code id >
   * lastSeen}. A writer whose transaction got a lower id but committed after a higher one is
   * skipped for good: its row is invisible when the cursor passes it.
   */
  final class IdCursor implements ClaimStrategy {
    private Long lastSeen;

    @Override
    public List<OutboxRecord> claim(DSLContext tx, int limit) {
      if (lastSeen == null) {
        Long resumed =
            tx.select(DSL.max(OUTBOX_EVENTS.ID))
                .from(OUTBOX_EVENTS)
                .where(OUTBOX_EVENTS.PUBLISHED_AT.isNotNull())
                .fetchOne(0, Long.class);
        lastSeen = resumed == null ? 0L : resumed;
      }
      return fetchRecords(
          tx, select(tx, OUTBOX_EVENTS.ID.gt(lastSeen)).orderBy(OUTBOX_EVENTS.ID).limit(limit));
    }

    @Override
    public void published(List<OutboxRecord> records) {
      for (OutboxRecord r : records) {
        lastSeen = Math.max(lastSeen, r.id());
      }
    }
  }

  /**
   * Every unpublished row, oldest first, without claiming any (no lock): what the {@code
   * resubmitted-twice} variant's start-up resubmission reads.
   */
  static List<OutboxRecord> unpublished(DSLContext tx, int limit) {
    return fetchRecords(
        tx, select(tx, OUTBOX_EVENTS.PUBLISHED_AT.isNull()).orderBy(OUTBOX_EVENTS.ID).limit(limit));
  }

  private static SelectConditionStep<
          Record7<Long, java.util.UUID, Long, String, Long, Integer, String>>
      select(DSLContext tx, org.jooq.Condition where) {
    return tx.select(
            OUTBOX_EVENTS.ID,
            OUTBOX_EVENTS.EVENT_ID,
            OUTBOX_EVENTS.AGGREGATE_ID,
            OUTBOX_EVENTS.EVENT_TYPE,
            OUTBOX_EVENTS.AGGREGATE_VERSION,
            OUTBOX_EVENTS.SCHEMA_VERSION,
            OUTBOX_EVENTS.PAYLOAD)
        .from(OUTBOX_EVENTS)
        .where(where);
  }

  /**
   * Runs {@code query} (built by jOOQ, the columns of {@link #select}) on the transaction's
   * connection and reads the rows straight from the driver: a claim maps thousands of rows per
   * batch, and jOOQ's own records cost about a third of the claim (a {@code UUID} parsed and
   * printed again, the payload decoded to a {@code String} and encoded back). The payload is {@code
   * TEXT} and the driver talks UTF-8, so the bytes it hands out are the envelope's bytes.
   */
  private static List<OutboxRecord> fetchRecords(DSLContext tx, ResultQuery<?> query) {
    String sql = query.getSQL();
    List<Object> binds = query.getBindValues();
    return tx.connectionResult(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < binds.size(); i++) {
              ps.setObject(i + 1, binds.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
              List<OutboxRecord> out = new ArrayList<>();
              while (rs.next()) {
                out.add(
                    new OutboxRecord(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getLong(3),
                        rs.getString(4),
                        rs.getLong(5),
                        rs.getInt(6),
                        rs.getBytes(7)));
              }
              return out;
            }
          }
        });
  }
}
