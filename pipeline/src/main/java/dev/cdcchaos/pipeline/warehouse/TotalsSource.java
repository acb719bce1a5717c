package dev.cdcchaos.pipeline.warehouse;

/**
 * What moves {@code wh_customer_totals}. Each produces the temp table {@code total_moves} (new
 * state and old state of an order); the totals step adds new minus old per customer.
 */
public enum TotalsSource {
  /**
   * The rows that really changed: events new to the ledger, folded, that passed the version rule,
   * against the stored row. A redelivered or stale event moves nothing.
   */
  CHANGED_ROWS(
      """
      CREATE OR REPLACE TEMP TABLE total_moves AS
      SELECT customer_id, status, total_cents, deleted, existed,
             old_customer_id, old_status, old_total_cents, old_deleted
      FROM changes
      """),
  /**
   * The event stream as received, without consulting the ledger: each event moves its customer from
   * the previous state (the event before it in the batch, else the stored row) to its own state.
   * Right for a clean in-order stream; a late duplicate or a reordered event moves the totals
   * although the version guard keeps the row. Known-bad variant {@code no-idempotency-ledger}.
   */
  EVENT_STREAM(
      """
      CREATE OR REPLACE TEMP TABLE total_moves AS
      SELECT s.customer_id, s.status, s.total_cents, s.deleted,
             (lag(s.seq) OVER w IS NOT NULL OR o.order_id IS NOT NULL) AS existed,
             CASE WHEN lag(s.seq) OVER w IS NULL THEN o.customer_id ELSE lag(s.customer_id) OVER w END
               AS old_customer_id,
             CASE WHEN lag(s.seq) OVER w IS NULL THEN o.status ELSE lag(s.status) OVER w END
               AS old_status,
             CASE WHEN lag(s.seq) OVER w IS NULL THEN o.total_cents ELSE lag(s.total_cents) OVER w END
               AS old_total_cents,
             CASE WHEN lag(s.seq) OVER w IS NULL THEN o.deleted ELSE lag(s.deleted) OVER w END
               AS old_deleted
      FROM stage_events s LEFT JOIN wh_orders o ON o.order_id = s.order_id
      WINDOW w AS (PARTITION BY s.order_id ORDER BY s.seq)
      """);

  final String movesSql;

  TotalsSource(String movesSql) {
    this.movesSql = movesSql;
  }
}
