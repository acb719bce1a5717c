package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.lake.LakeNaming;
import dev.cdcchaos.pipeline.variant.Variant;
import dev.cdcchaos.pipeline.warehouse.ApplyRules;
import dev.cdcchaos.pipeline.warehouse.CheckpointScope;
import dev.cdcchaos.pipeline.warehouse.CommitRule;

/**
 * The consumer side's seams in one place: how the warehouse applies a batch, how progress is keyed,
 * what poison does to a batch and how lake files are named. {@link #forVariant} is the only place
 * that knows which known-bad variant swaps which strategy.
 *
 * <p>{@code opensWarehousePerBatch}: the consumer does not hold the warehouse for its life (the
 * correct consumer's fence: DuckDB's file lock) but opens it for each piece of work, a batch, a
 * status, a read, and closes it after; variant {@code unfenced-stale-checkpoint}.
 */
public record SinkStrategies(
    ApplyRules applyRules,
    CheckpointScope checkpointScope,
    PoisonRule poisonRule,
    LakeNaming lakeNaming,
    ResumeRule resumeRule,
    boolean dedupsByOffsetWatermark,
    boolean opensWarehousePerBatch) {

  public static SinkStrategies correct() {
    return new SinkStrategies(
        ApplyRules.CORRECT,
        CheckpointScope.PER_PARTITION,
        PoisonRule.CONTINUE,
        LakeNaming.OFFSET_RANGE,
        ResumeRule.CHECKPOINT_OR_BEGINNING,
        false,
        false);
  }

  /**
   * The strategies of {@code variant}; variants of the publisher side give the correct consumer.
   * {@code seed} feeds the random lake names of {@code lake-append-random-name}.
   */
  public static SinkStrategies forVariant(Variant variant, long seed) {
    return new SinkStrategies(
        ApplyRules.forVariant(variant),
        variant == Variant.CHECKPOINT_IGNORES_PARTITION
            ? CheckpointScope.PER_TOPIC
            : CheckpointScope.PER_PARTITION,
        switch (variant) {
          case DLQ_DROPS_BATCH -> PoisonRule.DROP_REST_OF_BATCH;
          case POISON_RETRIED_FOREVER -> PoisonRule.RETRY_FOREVER;
          default -> PoisonRule.CONTINUE;
        },
        LakeNaming.forVariant(variant, seed),
        switch (variant) {
          case CHECKPOINT_BY_TIMESTAMP -> ResumeRule.AFTER_LAST_APPLIED_TIMESTAMP;
          case FRESH_START_AT_LATEST -> ResumeRule.CHECKPOINT_OR_END;
          default -> ResumeRule.CHECKPOINT_OR_BEGINNING;
        },
        variant == Variant.OFFSET_WATERMARK_DEDUP,
        variant == Variant.UNFENCED_STALE_CHECKPOINT);
  }

  /**
   * Whether Kafka offsets are committed before the warehouse write ({@code offset-before-write}).
   */
  public boolean commitsOffsetsFirst() {
    return applyRules.commitRule() == CommitRule.CHECKPOINT_FIRST;
  }
}
