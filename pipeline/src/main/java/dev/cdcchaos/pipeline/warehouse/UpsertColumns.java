package dev.cdcchaos.pipeline.warehouse;

/**
 * Which columns of a stored {@code wh_orders} row an applied event writes. Every event carries the
 * order's whole state, so the correct pipeline writes the whole row; {@link #THOUGHT_TO_CHANGE} is
 * the known-bad variant {@code partial-row-upsert}, shaped after duckdb/duckdb#16698 (an upsert
 * that touches other columns than the ones meant, leaving partial rows): an update writes only the
 * columns an update was thought to change, so the others keep what an older version said, and the
 * row mixes versions.
 */
public enum UpsertColumns {
  WHOLE_ROW(
      """
      customer_id = excluded.customer_id, status = excluded.status,
      total_cents = excluded.total_cents, currency = excluded.currency,
      version = excluded.version, deleted = excluded.deleted, extras = excluded.extras,
      updated_at = excluded.updated_at
      """),
  THOUGHT_TO_CHANGE(
      """
      status = excluded.status, total_cents = excluded.total_cents,
      version = excluded.version, deleted = excluded.deleted, updated_at = excluded.updated_at
      """);

  final String setList;

  UpsertColumns(String setList) {
    this.setList = setList;
  }
}
