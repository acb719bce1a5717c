package dev.cdcchaos.pipeline.publisher;

import static dev.cdcchaos.pipeline.source.jooq.Tables.OUTBOX_EVENTS;

import java.util.List;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/** How the publisher records a batch as published, inside the batch's transaction. */
public interface MarkStrategy {

  /** Marks the batch's rows published; returns the number of rows marked. */
  int mark(DSLContext tx, List<OutboxRecord> batch);

  /** The correct mark: exactly the claimed rows. */
  final class ClaimedIds implements MarkStrategy {
    @Override
    public int mark(DSLContext tx, List<OutboxRecord> batch) {
      Long[] ids = batch.stream().map(OutboxRecord::id).toArray(Long[]::new);
      return tx.update(OUTBOX_EVENTS)
          .set(OUTBOX_EVENTS.PUBLISHED_AT, DSL.currentOffsetDateTime())
          .where(OUTBOX_EVENTS.ID.eq(DSL.any(ids)))
          .execute();
    }
  }

  /**
   * Known-bad ({@code mark-all-published}): marks every unpublished row, including rows committed
   * after the claim that were never sent, so they are lost.
   */
  final class AllUnpublished implements MarkStrategy {
    @Override
    public int mark(DSLContext tx, List<OutboxRecord> batch) {
      return tx.update(OUTBOX_EVENTS)
          .set(OUTBOX_EVENTS.PUBLISHED_AT, DSL.currentOffsetDateTime())
          .where(OUTBOX_EVENTS.PUBLISHED_AT.isNull())
          .execute();
    }
  }
}
