package dev.cdcchaos.harness.fault;

import dev.cdcchaos.harness.fault.Fault.Healing;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The closed set of fault kinds: each one's key in scenario files, how its {@code for} is read and
 * the fields it takes besides {@code at}, {@code for}, {@code optional} and its own key. Every
 * place that acts on a fault (the loader, the writer, the injector, the effects judge, the schedule
 * search, the applicability rules) switches over this enum without a {@code default}, so a new kind
 * is a compile error wherever it is not handled yet.
 */
public enum FaultKind {
  PARTITION("partition", Healing.WINDOW, List.of("direction", "mode", "inside"), true),
  LATENCY("latency", Healing.WINDOW, List.of("delay", "jitter", "direction"), true),
  BANDWIDTH("bandwidth", Healing.WINDOW, List.of("kb_per_s", "direction"), true),
  RESET_PEER("reset-peer", Healing.WINDOW, List.of("timeout", "direction"), true),
  SLOW_CLOSE("slow-close", Healing.WINDOW, List.of("delay", "direction"), true),
  LIMIT_DATA("limit-data", Healing.WINDOW, List.of("bytes", "direction"), true),
  KILL("kill", Healing.DOWNTIME, List.of(), true),
  PAUSE("pause", Healing.WINDOW, List.of(), true),
  RESTART("restart", Healing.DOWNTIME, List.of(), true),
  CRASH("crash", Healing.DOWNTIME, List.of("point"), true),
  DUPLICATE("duplicate", Healing.WINDOW, List.of(), true),
  REORDER("reorder", Healing.WINDOW, List.of(), true),
  REDELIVER("redeliver", Healing.INSTANT, List.of(), true),
  SCHEMA_DRIFT("schema-drift", Healing.WINDOW, List.of(), true),
  SLOW_COMMIT("slow-commit", Healing.WINDOW, List.of(), true),
  POISON("poison", Healing.INSTANT, List.of("kinds"), true),
  RESET_OFFSETS("reset-offsets", Healing.INSTANT, List.of(), false),
  RECREATE_TOPIC("recreate-topic", Healing.INSTANT, List.of(), false),
  ZOMBIE_CONSUMER("zombie-consumer", Healing.WINDOW, List.of(), false),
  DDL("ddl", Healing.INSTANT, List.of(), false),
  CLOCK_SKEW("clock-skew", Healing.WINDOW, List.of("writer"), false),
  DISK_FULL("disk-full", Healing.WINDOW, List.of(), false),
  LONG_OUTAGE("long-outage", Healing.WINDOW, List.of(), false),
  LONG_PAUSE("long-pause", Healing.WINDOW, List.of(), false),
  UNCLEAN_LEADER_ELECTION("unclean-leader-election", Healing.WINDOW, List.of(), false);

  private final String key;
  private final Healing healing;
  private final List<String> params;
  private final boolean drawnBySearch;

  FaultKind(String key, Healing healing, List<String> params, boolean drawnBySearch) {
    this.key = key;
    this.healing = healing;
    this.params = params;
    this.drawnBySearch = drawnBySearch;
  }

  /** The key naming this kind in scenario files, e.g. {@code reset-offsets}. */
  public String key() {
    return key;
  }

  /** How the fault's {@code for} is read and how it ends. */
  public Healing healing() {
    return healing;
  }

  /** The fields this kind takes besides {@code at}, {@code for}, {@code optional} and its key. */
  public List<String> params() {
    return params;
  }

  /**
   * Whether the random schedule search draws this kind. The kinds of issue 11 each need a scenario
   * built around them (a drained topic, a second publisher, a mount, three brokers), so the search
   * leaves them to their files.
   */
  public boolean drawnBySearch() {
    return drawnBySearch;
  }

  /** The key, so that messages and history entries name the kind as files do. */
  @Override
  public String toString() {
    return key;
  }

  public static Optional<FaultKind> parse(String key) {
    return Arrays.stream(values()).filter(k -> k.key.equals(key)).findFirst();
  }

  /** Every kind's key, in declaration order (the order of the documentation). */
  public static List<String> keys() {
    return Arrays.stream(values()).map(FaultKind::key).toList();
  }

  /** The keys of the kinds the schedule search draws. */
  public static List<String> searchKeys() {
    return Arrays.stream(values()).filter(FaultKind::drawnBySearch).map(FaultKind::key).toList();
  }
}
