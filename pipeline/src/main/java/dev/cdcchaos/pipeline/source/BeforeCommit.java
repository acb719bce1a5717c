package dev.cdcchaos.pipeline.source;

import dev.cdcchaos.pipeline.event.OrderEvent;

/**
 * Runs inside a write's transaction after the outbox insert, just before the commit: the event's
 * outbox id is taken but not yet visible to anyone else. The application's own work between the
 * insert and the commit (a slow call, a lock wait, a GC pause) happens here; the harness uses it to
 * hold a transaction open so that later writers commit higher ids first.
 *
 * <p>A hook that throws rolls the write back; the caller sees the exception.
 */
@FunctionalInterface
public interface BeforeCommit {

  /** Does nothing: the transaction commits at once. */
  BeforeCommit NONE = (outboxId, event) -> {};

  /**
   * @param outboxId the {@code outbox_events.id} the insert took
   * @param event the event inserted
   */
  void beforeCommit(long outboxId, OrderEvent event);
}
