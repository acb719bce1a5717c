package dev.cdcchaos.pipeline.warehouse;

import java.time.Instant;

/**
 * One row of the idempotency ledger {@code wh_applied_events}: where the event was first read, how
 * many later copies were absorbed, and when it was applied (lag = appliedAt - occurredAt).
 */
public record LedgerEntry(
    String eventId,
    long orderId,
    long version,
    String topic,
    int partition,
    long offset,
    Instant occurredAt,
    long duplicates,
    Instant appliedAt) {}
