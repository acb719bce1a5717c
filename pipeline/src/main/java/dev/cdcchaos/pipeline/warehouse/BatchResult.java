package dev.cdcchaos.pipeline.warehouse;

/**
 * What applying one batch did.
 *
 * @param received events in the batch
 * @param applied events new to the ledger (each counted once, whether or not it changed a row)
 * @param duplicates copies of events already in the ledger or repeated within the batch
 * @param changedOrders {@code wh_orders} rows inserted or updated
 * @param deadLettered dead letters in the batch
 */
public record BatchResult(
    int received, int applied, int duplicates, int changedOrders, int deadLettered) {}
