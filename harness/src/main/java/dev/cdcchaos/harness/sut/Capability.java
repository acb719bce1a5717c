package dev.cdcchaos.harness.sut;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What a pipeline under test declares it can do or keeps, by the names its description uses. A
 * scenario that needs one the pipeline lacks is not applicable to it, and so is an invariant whose
 * table or feature is absent: never silently valid.
 */
public enum Capability {
  /** The publisher stage halts at the {@code publisher.*} crash points the control file arms. */
  PUBLISHER_CRASH_POINTS("publisher-crash-points"),
  /** The consumer stage halts at the {@code consumer.*} crash points the control file arms. */
  CONSUMER_CRASH_POINTS("consumer-crash-points"),
  /**
   * The publisher's sends go through a hook the control file sets: {@code duplicate}, {@code
   * reorder}.
   */
  SEND_HOOK("send-hook"),
  /**
   * Several publisher processes may claim from one outbox at once ({@code topology.publishers}).
   */
  SEVERAL_PUBLISHERS("several-publishers"),
  /**
   * The publisher marks {@code outbox_events.published_at}; progress and backlog are read there.
   */
  OUTBOX_MARKS("outbox-marks"),
  /** The known-bad variants of the reference pipeline ({@code variant:}). */
  VARIANTS("variants"),
  /** {@code wh_applied_events}: the idempotency ledger. */
  LEDGER("ledger"),
  /** {@code wh_customer_totals}: the incrementally maintained totals. */
  TOTALS("totals"),
  /** {@code wh_checkpoints}: where the consumer restarts, rewindable by {@code redeliver}. */
  CHECKPOINTS("checkpoints"),
  /** {@code wh_dead_letters}: poison with its reason. */
  DEAD_LETTERS("dead-letters"),
  /** The Parquet lake, one file per topic, partition and offset range. */
  LAKE("lake"),
  /** The pipeline's replay rebuilds a warehouse from the lake and from Kafka offset 0. */
  REPLAY("replay"),
  /**
   * The consumer commits its position to its Kafka consumer group, marked as its own, and on start
   * checks a position someone else wrote there (an operator's {@code kafka-consumer-groups
   * --reset-offsets}): {@code reset-offsets}.
   */
  GROUP_OFFSETS("group-offsets"),
  /**
   * The consumer tells a recreated topic from the one it replaced (by Kafka's topic id) and keeps
   * each incarnation's records, checkpoints and lake files apart: {@code recreate-topic}.
   */
  TOPIC_INCARNATIONS("topic-incarnations"),
  /**
   * The consumer serves snapshot reads ({@code POST /query}, its URL in the status {@code reads}).
   */
  SNAPSHOT_READS("snapshot-reads");

  private final String cliName;

  Capability(String cliName) {
    this.cliName = cliName;
  }

  /** The name in pipeline descriptions and reports. */
  public String cliName() {
    return cliName;
  }

  public static Optional<Capability> parse(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(c -> c.cliName.equals(n)).findFirst();
  }

  public static java.util.List<String> names() {
    return Arrays.stream(values()).map(Capability::cliName).toList();
  }
}
