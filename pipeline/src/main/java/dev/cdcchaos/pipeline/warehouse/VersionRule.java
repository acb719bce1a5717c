package dev.cdcchaos.pipeline.warehouse;

/**
 * Which state of an order wins when a batch (or a batch and the stored row) hold several. The
 * correct pipeline keeps the highest version; {@link #LAST_ARRIVAL_WINS} is the known-bad variant
 * {@code no-version-guard}.
 */
public enum VersionRule {
  /** Highest aggregate version wins, in the batch fold and against the stored row. */
  HIGHEST_VERSION_WINS(
      "version DESC, seq DESC",
      "o.order_id IS NULL OR f.version > o.version",
      " WHERE excluded.version > wh_orders.version"),
  /** Whatever arrives last is written, ignoring versions. */
  LAST_ARRIVAL_WINS("seq DESC", "TRUE", "");

  final String foldOrder;
  final String changeFilter;
  final String upsertGuard;

  VersionRule(String foldOrder, String changeFilter, String upsertGuard) {
    this.foldOrder = foldOrder;
    this.changeFilter = changeFilter;
    this.upsertGuard = upsertGuard;
  }
}
