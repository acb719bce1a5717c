package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.variant.Variant;

/**
 * The strategies the warehouse applies a batch with. {@link #CORRECT} is the reference pipeline;
 * {@link #forVariant(Variant)} swaps in the one strategy a known-bad variant gets wrong.
 */
public record ApplyRules(
    VersionRule versionRule,
    TotalsSource totalsSource,
    CommitRule commitRule,
    UpsertColumns upsertColumns,
    CheckpointUpsert checkpointUpsert) {

  public static final ApplyRules CORRECT =
      new ApplyRules(
          VersionRule.HIGHEST_VERSION_WINS,
          TotalsSource.CHANGED_ROWS,
          CommitRule.ONE_TRANSACTION,
          UpsertColumns.WHOLE_ROW,
          CheckpointUpsert.KEEP_GREATEST);

  public static ApplyRules forVariant(Variant variant) {
    return switch (variant) {
      case NO_VERSION_GUARD -> CORRECT.withVersionRule(VersionRule.LAST_ARRIVAL_WINS);
      case NO_IDEMPOTENCY_LEDGER -> CORRECT.withTotalsSource(TotalsSource.EVENT_STREAM);
      case OFFSET_BEFORE_WRITE -> CORRECT.withCommitRule(CommitRule.CHECKPOINT_FIRST);
      case NON_ATOMIC_CHECKPOINT -> CORRECT.withCommitRule(CommitRule.EACH_STEP);
      case DEFERRED_CHECKPOINT -> CORRECT.withCommitRule(CommitRule.CHECKPOINT_LATER);
      case PARTIAL_ROW_UPSERT ->
          new ApplyRules(
              CORRECT.versionRule,
              CORRECT.totalsSource,
              CORRECT.commitRule,
              UpsertColumns.THOUGHT_TO_CHANGE,
              CORRECT.checkpointUpsert);
      case UNFENCED_STALE_CHECKPOINT ->
          new ApplyRules(
              CORRECT.versionRule,
              CORRECT.totalsSource,
              CORRECT.commitRule,
              CORRECT.upsertColumns,
              CheckpointUpsert.LAST_WRITER_WINS);
      default -> CORRECT;
    };
  }

  public ApplyRules withVersionRule(VersionRule rule) {
    return new ApplyRules(rule, totalsSource, commitRule, upsertColumns, checkpointUpsert);
  }

  public ApplyRules withTotalsSource(TotalsSource source) {
    return new ApplyRules(versionRule, source, commitRule, upsertColumns, checkpointUpsert);
  }

  public ApplyRules withCommitRule(CommitRule rule) {
    return new ApplyRules(versionRule, totalsSource, rule, upsertColumns, checkpointUpsert);
  }
}
