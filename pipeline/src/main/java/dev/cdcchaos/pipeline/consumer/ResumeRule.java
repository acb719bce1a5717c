package dev.cdcchaos.pipeline.consumer;

/**
 * Where a partition resumes when the consumer (re)starts or the partition appears. The correct
 * pipeline resumes at the warehouse checkpoint, or at the partition's beginning when it has none.
 */
public enum ResumeRule {
  /** At the checkpoint's offset; at the beginning of the partition without one. */
  CHECKPOINT_OR_BEGINNING,
  /**
   * {@code checkpoint-by-timestamp} (debezium/debezium#7531): at the first record newer than the
   * last one applied, so the records sharing its timestamp that were not applied yet are skipped.
   */
  AFTER_LAST_APPLIED_TIMESTAMP,
  /**
   * {@code fresh-start-at-latest} (apache/iceberg#18006): without a checkpoint, at the end of the
   * partition, skipping the backlog written before the consumer first ran.
   */
  CHECKPOINT_OR_END
}
