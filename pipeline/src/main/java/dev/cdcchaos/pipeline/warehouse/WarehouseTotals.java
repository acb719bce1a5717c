package dev.cdcchaos.pipeline.warehouse;

/**
 * Running totals read from the warehouse itself, so they survive consumer restarts.
 *
 * @param applied events in the idempotency ledger
 * @param duplicates copies absorbed by the ledger
 * @param deadLettered rows in {@code wh_dead_letters}
 * @param orders rows in {@code wh_orders}, tombstones included
 */
public record WarehouseTotals(long applied, long duplicates, long deadLettered, long orders) {}
