/**
 * The DuckDB warehouse: batch apply (ledger, version-guarded upsert, customer totals, dead letters,
 * checkpoints in one transaction), its strategies for the known-bad variants, and {@link
 * dev.cdcchaos.pipeline.warehouse.WarehouseReader} to read every table back.
 */
package dev.cdcchaos.pipeline.warehouse;
