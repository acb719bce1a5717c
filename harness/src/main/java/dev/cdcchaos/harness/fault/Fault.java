package dev.cdcchaos.harness.fault;

import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The fault vocabulary of scenario files: one record per kind. {@link #kind()} is the key that
 * names the fault in a file ({@code - { at: { after: 3s }, partition: consumer->kafka, for: 2s }}).
 * The set is closed on purpose: the loader, the writer, the runner and the random schedule
 * generator each switch over it, and the compiler tells them when a kind is added.
 */
public sealed interface Fault
    permits Fault.Network,
        Fault.OnProcess,
        Fault.Crash,
        Fault.Duplicate,
        Fault.Reorder,
        Fault.Redeliver,
        Fault.SchemaDrift,
        Fault.SlowCommit,
        Fault.Poison {

  /** The key naming this kind in scenario files. */
  String kind();

  /** How the fault's {@code for} is read and how the fault ends. */
  Healing healing();

  /** What the {@code for} of a fault means. */
  enum Healing {
    /** The fault holds for {@code for}; without it, until the workload finished writing. */
    WINDOW,
    /** The process is down for {@code for} (default: none) and then started again. */
    DOWNTIME,
    /** A one-off action: {@code for} is not allowed. */
    INSTANT
  }

  // ---------------------------------------------------------------- network (Toxiproxy toxics)

  /** A fault on one link, injected through that link's Toxiproxy proxy. */
  sealed interface Network extends Fault
      permits Partition, Latency, Bandwidth, ResetPeer, SlowClose, LimitData {
    Link link();

    Direction direction();

    @Override
    default Healing healing() {
      return Healing.WINDOW;
    }
  }

  /** How a partition cuts a link. */
  enum PartitionMode {
    /** Data is silently dropped and connections hang (Toxiproxy {@code timeout} toxic, 0 ms). */
    BLACKHOLE,
    /** The proxy is disabled: open connections close and new ones are refused. */
    DOWN;

    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Cuts the link. */
  record Partition(Link link, Direction direction, PartitionMode mode) implements Network {
    public Partition {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(mode, "mode");
    }

    public Partition(Link link) {
      this(link, Direction.BOTH, PartitionMode.BLACKHOLE);
    }

    @Override
    public String kind() {
      return "partition";
    }
  }

  /** Delays every chunk of data by {@code delay} ± {@code jitter}. */
  record Latency(Link link, Direction direction, Duration delay, Duration jitter)
      implements Network {
    public Latency {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      requireNotNegative(delay, "delay");
      requireNotNegative(jitter, "jitter");
    }

    @Override
    public String kind() {
      return "latency";
    }
  }

  /** Limits the link to {@code kilobytesPerSecond} KB/s. */
  record Bandwidth(Link link, Direction direction, long kilobytesPerSecond) implements Network {
    public Bandwidth {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      if (kilobytesPerSecond < 1) {
        throw new IllegalArgumentException("bandwidth must be >= 1 KB/s");
      }
    }

    @Override
    public String kind() {
      return "bandwidth";
    }
  }

  /** Resets connections (TCP RST) after {@code timeout} of data (0: at once). */
  record ResetPeer(Link link, Direction direction, Duration timeout) implements Network {
    public ResetPeer {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      requireNotNegative(timeout, "timeout");
    }

    @Override
    public String kind() {
      return "reset-peer";
    }
  }

  /** Delays the closing of connections by {@code delay}. */
  record SlowClose(Link link, Direction direction, Duration delay) implements Network {
    public SlowClose {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      requireNotNegative(delay, "delay");
    }

    @Override
    public String kind() {
      return "slow-close";
    }
  }

  /** Closes each connection after {@code bytes} bytes went through it. */
  record LimitData(Link link, Direction direction, long bytes) implements Network {
    public LimitData {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative");
      }
    }

    @Override
    public String kind() {
      return "limit-data";
    }
  }

  // ---------------------------------------------------------------- process

  /** A fault on a whole process. */
  sealed interface OnProcess extends Fault permits Kill, Pause, Restart {
    Target target();
  }

  /** SIGKILL; the process is started again after {@code for} (default: at once). */
  record Kill(Target target) implements OnProcess {
    public Kill {
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String kind() {
      return "kill";
    }

    @Override
    public Healing healing() {
      return Healing.DOWNTIME;
    }
  }

  /** SIGSTOP, then SIGCONT after {@code for}: a process that hangs, as in a long GC pause. */
  record Pause(Target target) implements OnProcess {
    public Pause {
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String kind() {
      return "pause";
    }

    @Override
    public Healing healing() {
      return Healing.WINDOW;
    }
  }

  /**
   * A clean stop (SIGTERM, waiting for exit), then a start after {@code for} (default: at once).
   */
  record Restart(Target target) implements OnProcess {
    public Restart {
      Objects.requireNonNull(target, "target");
    }

    @Override
    public String kind() {
      return "restart";
    }

    @Override
    public Healing healing() {
      return Healing.DOWNTIME;
    }
  }

  // ---------------------------------------------------------------- crash points

  /**
   * Arms a crash point: the next time {@code process} reaches {@code point} it halts, as a kill -9
   * at exactly that step would; it is started again after {@code for} (default: at once).
   *
   * @param process {@link Target.Service#CONSUMER}, {@link Target.Service#PUBLISHER} (publisher 1)
   *     or a numbered {@link Target.Publisher}
   * @param point one of {@link CrashPoints#ALL}, belonging to {@code process}'s role
   */
  record Crash(Target process, String point) implements Fault {
    public Crash {
      if (process != Target.Service.CONSUMER
          && process != Target.Service.PUBLISHER
          && !(process instanceof Target.Publisher)) {
        throw new IllegalArgumentException("only consumer and publishers have crash points");
      }
      if (!CrashPoints.ALL.contains(point)) {
        throw new IllegalArgumentException("unknown crash point " + point);
      }
      String role = role(process);
      if (!point.startsWith(role + ".")) {
        throw new IllegalArgumentException(point + " is not a crash point of " + role);
      }
    }

    /** The crash at {@code point}, whose process (publisher 1 or the consumer) its prefix names. */
    public static Crash at(String point) {
      Target.Service process =
          point.startsWith("publisher.") ? Target.Service.PUBLISHER : Target.Service.CONSUMER;
      return new Crash(process, point);
    }

    /**
     * {@code publisher} or {@code consumer}: the role whose crash points apply to {@code target}.
     */
    public static String role(Target target) {
      return Target.publisherNumber(target) > 0 ? "publisher" : target.cliName();
    }

    @Override
    public String kind() {
      return "crash";
    }

    @Override
    public Healing healing() {
      return Healing.DOWNTIME;
    }
  }

  // ---------------------------------------------------------------- delivery (publisher send hook)

  /** The publisher sends a {@code fraction} of its records twice (same event, a new offset). */
  record Duplicate(double fraction) implements Fault {
    public Duplicate {
      requireFraction(fraction, "fraction");
    }

    @Override
    public String kind() {
      return "duplicate";
    }

    @Override
    public Healing healing() {
      return Healing.WINDOW;
    }
  }

  /**
   * The publisher holds up to {@code window} records and sends them shuffled, so an order's events
   * arrive out of version order.
   */
  record Reorder(int window) implements Fault {
    public Reorder {
      if (window < 2) {
        throw new IllegalArgumentException("a reorder window needs at least 2 records");
      }
    }

    @Override
    public String kind() {
      return "reorder";
    }

    @Override
    public Healing healing() {
      return Healing.WINDOW;
    }
  }

  /**
   * The consumer is stopped, its checkpoints moved back and it is started again, so it reads
   * records it already applied.
   */
  record Redeliver(Rewind rewind) implements Fault {
    public Redeliver {
      Objects.requireNonNull(rewind, "rewind");
    }

    @Override
    public String kind() {
      return "redeliver";
    }

    @Override
    public Healing healing() {
      return Healing.INSTANT;
    }
  }

  /** How far a redelivery goes back. */
  sealed interface Rewind permits Rewind.By, Rewind.ToStart {

    /** Back by {@code records} records in every partition (not before offset 0). */
    record By(long records) implements Rewind {
      public By {
        if (records < 1) {
          throw new IllegalArgumentException("rewind by at least 1 record");
        }
      }
    }

    /** Back to offset 0 of every partition. */
    record ToStart() implements Rewind {}
  }

  // ---------------------------------------------------------------- data

  /**
   * While it holds, writers add fields the schema does not know to a {@code fraction} of their
   * events (and reorder payload fields): ingestion must keep them as extras, never fail.
   */
  record SchemaDrift(double fraction) implements Fault {
    public SchemaDrift {
      requireFraction(fraction, "fraction");
    }

    @Override
    public String kind() {
      return "schema-drift";
    }

    @Override
    public Healing healing() {
      return Healing.WINDOW;
    }
  }

  /**
   * {@code writers} writers each keep one transaction open after inserting its outbox event (its id
   * is taken) and commit it only when the fault heals, as an application thread stuck inside its
   * transaction would (a GC pause, a lock wait, a slow call made inside the transaction). The other
   * writers keep committing higher ids meanwhile, so ids commit out of order for as long as the
   * fault holds. Without {@code for} the held writers commit once every other writer finished.
   *
   * @param writers how many writers stall, at least 1 and fewer than the workload's writers (the
   *     loader checks the upper bound)
   */
  record SlowCommit(int writers) implements Fault {
    public SlowCommit {
      if (writers < 1) {
        throw new IllegalArgumentException("slow-commit needs at least 1 writer, was " + writers);
      }
    }

    @Override
    public String kind() {
      return "slow-commit";
    }

    @Override
    public Healing healing() {
      return Healing.WINDOW;
    }
  }

  /**
   * The harness publishes {@code count} malformed records straight to the topic, cycling through
   * {@code kinds}; each must end in the dead-letter table, none may stall the consumer.
   */
  record Poison(int count, List<PoisonKind> kinds) implements Fault {
    public Poison {
      if (count < 1) {
        throw new IllegalArgumentException("poison needs a count >= 1");
      }
      kinds = List.copyOf(kinds);
      if (kinds.isEmpty()) {
        throw new IllegalArgumentException("poison needs at least one kind");
      }
    }

    @Override
    public String kind() {
      return "poison";
    }

    @Override
    public Healing healing() {
      return Healing.INSTANT;
    }
  }

  /** Every fault kind's key, in the order of the documentation. */
  List<String> KINDS =
      List.of(
          "partition",
          "latency",
          "bandwidth",
          "reset-peer",
          "slow-close",
          "limit-data",
          "kill",
          "pause",
          "restart",
          "crash",
          "duplicate",
          "reorder",
          "redeliver",
          "schema-drift",
          "slow-commit",
          "poison");

  private static void requireNotNegative(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative()) {
      throw new IllegalArgumentException(what + " must not be negative");
    }
  }

  private static void requireFraction(double f, String what) {
    if (!(f > 0 && f <= 1)) {
      throw new IllegalArgumentException(what + " must be in (0, 1], was " + f);
    }
  }
}
