package dev.cdcchaos.harness.scenario;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The invariants a scenario can ask for, by the names used in scenario files and in {@code
 * CheckResult.invariant()}. Checked after the faults healed and the pipeline drained, on everything
 * observed, the snapshots read while the run went included.
 */
public enum Invariant {
  /** {@code wh_orders} = fold(outbox events, highest version wins) = Postgres {@code orders}. */
  CONVERGED,
  /** Every committed outbox event is applied or dead-lettered with a reason. */
  NO_LOSS,
  /** One row per order, and customer totals equal the totals recomputed from the source. */
  NO_DUPLICATES,
  /** Every event is in the lake; each Kafka record is there exactly once. */
  LAKE_COMPLETE,
  /** A fresh warehouse rebuilt from the lake, and from Kafka offset 0, gives the same rows. */
  REPLAY_EQUIVALENT,
  /** Checkpoints are monotone per partition and never ahead of what the warehouse holds. */
  CHECKPOINTS_SOUND,
  /**
   * Each event is labelled delivered-once / duplicate-absorbed / duplicate-visible / lost / ....
   */
  ACCOUNTING,
  /** Converged within the scenario's bound after the last fault healed. */
  LIVENESS,
  /**
   * Every snapshot read while the run went equals the fold of the records its checkpoints cover,
   * with totals that equal its own rows' totals.
   */
  SNAPSHOT_CONSISTENT,
  /** Across snapshots no version, visible order or checkpoint goes back. */
  MONOTONIC_READS;

  /** The name used in scenario files, e.g. {@code no-loss}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<Invariant> parse(String name) {
    return Arrays.stream(values()).filter(i -> i.cliName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Invariant::cliName).toList();
  }
}
