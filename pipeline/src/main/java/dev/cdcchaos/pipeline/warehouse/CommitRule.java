package dev.cdcchaos.pipeline.warehouse;

/**
 * Where a batch's transaction boundaries are. Only {@link #ONE_TRANSACTION} is crash-safe; the
 * others are known-bad variants.
 */
public enum CommitRule {
  /** Rows, ledger, totals, dead letters and checkpoints commit together. */
  ONE_TRANSACTION,
  /**
   * The checkpoint commits in its own transaction before the batch is written (variant {@code
   * offset-before-write}): a crash in between loses the batch.
   */
  CHECKPOINT_FIRST,
  /**
   * Every step commits on its own, the checkpoint last (variant {@code non-atomic-checkpoint}): a
   * crash mid-batch leaves the totals moved but the rows, ledger and checkpoint not, so the retried
   * batch moves the totals again.
   */
  EACH_STEP,
  /**
   * Rows, ledger, totals and dead letters commit together, but the checkpoint is saved in a second
   * transaction, at most once a second and whenever the consumer idles (variant {@code
   * deferred-checkpoint}, a periodic offset flush): a restart re-reads what the ledger absorbs, so
   * the end state is right, yet a reader in between sees rows that no checkpoint covers.
   */
  CHECKPOINT_LATER
}
