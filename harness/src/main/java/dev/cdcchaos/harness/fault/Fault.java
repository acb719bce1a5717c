package dev.cdcchaos.harness.fault;

import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fault vocabulary of scenario files: one record per kind. {@link #kind()} is the {@link
 * FaultKind} whose key names the fault in a file ({@code - { at: { after: 3s }, partition:
 * consumer->kafka, for: 2s }}). The set is closed on purpose: the loader, the writer, the runner
 * and the random schedule generator each switch over it, and the compiler tells them when a kind is
 * added.
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
        Fault.Poison,
        Fault.ResetOffsets,
        Fault.RecreateTopic,
        Fault.ZombieConsumer,
        Fault.Ddl,
        Fault.ClockSkew,
        Fault.DiskFull,
        Fault.LongPause,
        Fault.UncleanLeaderElection {

  /** This fault's kind: its key in scenario files, its healing and its fields. */
  FaultKind kind();

  /** How the fault's {@code for} is read and how the fault ends: its kind's. */
  default Healing healing() {
    return kind().healing();
  }

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
      permits Partition, Latency, Bandwidth, ResetPeer, SlowClose, LimitData, LongOutage {
    Link link();

    Direction direction();
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

  /**
   * Cuts the link.
   *
   * @param inside a writer's crash point: the cut starts while writer processes are held there,
   *     inside their open transactions (then released into the cut); empty: when the trigger fires.
   *     Only on {@code writer->postgres}
   */
  record Partition(Link link, Direction direction, PartitionMode mode, Optional<String> inside)
      implements Network {
    public Partition {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(direction, "direction");
      Objects.requireNonNull(mode, "mode");
      Objects.requireNonNull(inside, "inside");
      if (inside.isPresent()) {
        if (link != Link.WRITER_POSTGRES) {
          throw new IllegalArgumentException(
              "inside: only a partition of writer->postgres lands inside a writer's transaction");
        }
        if (!inside.get().startsWith("writer.") || !CrashPoints.ALL.contains(inside.get())) {
          throw new IllegalArgumentException("inside: not a writer's crash point: " + inside.get());
        }
      }
    }

    public Partition(Link link, Direction direction, PartitionMode mode) {
      this(link, direction, mode, Optional.empty());
    }

    public Partition(Link link) {
      this(link, Direction.BOTH, PartitionMode.BLACKHOLE);
    }

    @Override
    public FaultKind kind() {
      return FaultKind.PARTITION;
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
    public FaultKind kind() {
      return FaultKind.LATENCY;
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
    public FaultKind kind() {
      return FaultKind.BANDWIDTH;
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
    public FaultKind kind() {
      return FaultKind.RESET_PEER;
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
    public FaultKind kind() {
      return FaultKind.SLOW_CLOSE;
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
    public FaultKind kind() {
      return FaultKind.LIMIT_DATA;
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
    public FaultKind kind() {
      return FaultKind.KILL;
    }
  }

  /** SIGSTOP, then SIGCONT after {@code for}: a process that hangs, as in a long GC pause. */
  record Pause(Target target) implements OnProcess {
    public Pause {
      Objects.requireNonNull(target, "target");
    }

    @Override
    public FaultKind kind() {
      return FaultKind.PAUSE;
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
    public FaultKind kind() {
      return FaultKind.RESTART;
    }
  }

  // ---------------------------------------------------------------- crash points

  /**
   * Arms a crash point: the next time {@code process} reaches {@code point} it halts, as a kill -9
   * at exactly that step would; it is started again after {@code for} (default: at once).
   *
   * @param process {@link Target.Service#CONSUMER}, {@link Target.Service#PUBLISHER} (publisher 1),
   *     a numbered {@link Target.Publisher} or a {@link Target.Writer} process
   * @param point one of {@link CrashPoints#ALL}, belonging to {@code process}'s role
   */
  record Crash(Target process, String point) implements Fault {
    public Crash {
      if (process != Target.Service.CONSUMER
          && process != Target.Service.PUBLISHER
          && !(process instanceof Target.Publisher)
          && !(process instanceof Target.Writer)) {
        throw new IllegalArgumentException(
            "only the consumer, publishers and writer processes have crash points");
      }
      if (!CrashPoints.ALL.contains(point)) {
        throw new IllegalArgumentException("unknown crash point " + point);
      }
      String role = role(process);
      if (!point.startsWith(role + ".")) {
        throw new IllegalArgumentException(point + " is not a crash point of " + role);
      }
    }

    /**
     * The crash at {@code point}, whose process (publisher 1, the consumer or writer 0) its prefix
     * names.
     */
    public static Crash at(String point) {
      Target process =
          point.startsWith("publisher.")
              ? Target.Service.PUBLISHER
              : point.startsWith("writer.") ? new Target.Writer(0) : Target.Service.CONSUMER;
      return new Crash(process, point);
    }

    /**
     * {@code publisher}, {@code consumer} or {@code writer}: the role whose crash points apply to
     * {@code target}.
     */
    public static String role(Target target) {
      if (target instanceof Target.Writer) {
        return "writer";
      }
      return Target.publisherNumber(target) > 0 ? "publisher" : target.cliName();
    }

    @Override
    public FaultKind kind() {
      return FaultKind.CRASH;
    }
  }

  // ---------------------------------------------------------------- delivery (publisher send hook)

  /** The publisher sends a {@code fraction} of its records twice (same event, a new offset). */
  record Duplicate(double fraction) implements Fault {
    public Duplicate {
      requireFraction(fraction, "fraction");
    }

    @Override
    public FaultKind kind() {
      return FaultKind.DUPLICATE;
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
    public FaultKind kind() {
      return FaultKind.REORDER;
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
    public FaultKind kind() {
      return FaultKind.REDELIVER;
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
    public FaultKind kind() {
      return FaultKind.SCHEMA_DRIFT;
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
    public FaultKind kind() {
      return FaultKind.SLOW_COMMIT;
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
    public FaultKind kind() {
      return FaultKind.POISON;
    }
  }

  // ---------------------------------------------------------------- operations (issue 11)

  /**
   * An operator moves the consumer group's committed offsets, as {@code kafka-consumer-groups
   * --reset-offsets --execute} does: the consumer is stopped, the group's offsets are set and the
   * consumer is started again. Unlike {@link Redeliver} it does not touch the pipeline's own
   * checkpoints: what the pipeline makes of a position someone else wrote is what is under test.
   */
  record ResetOffsets(OffsetReset to) implements Fault {
    public ResetOffsets {
      Objects.requireNonNull(to, "to");
    }

    @Override
    public FaultKind kind() {
      return FaultKind.RESET_OFFSETS;
    }
  }

  /**
   * Where a {@link ResetOffsets} moves the group, by the names of {@code kafka-consumer-groups}.
   */
  sealed interface OffsetReset permits OffsetReset.Earliest, OffsetReset.Latest, OffsetReset.Ago {

    /** {@code --to-earliest}: the first offset each partition still holds. */
    record Earliest() implements OffsetReset {}

    /** {@code --to-latest}: each partition's end, past every record written so far. */
    record Latest() implements OffsetReset {}

    /**
     * {@code --by-duration}: the first record each partition holds with a timestamp at or after
     * {@code ago} before the fault (its end where there is none).
     */
    record Ago(Duration ago) implements OffsetReset {
      public Ago {
        requireNotNegative(ago, "ago");
      }
    }
  }

  /**
   * The topic is deleted and created again with the same partitions, so offsets restart at 0. The
   * harness first stops the publishers and waits until the consumer read the whole topic (as an
   * operator drains a topic before recreating it), reads the old topic for the oracle, recreates it
   * and starts the publishers again.
   */
  record RecreateTopic() implements Fault {
    @Override
    public FaultKind kind() {
      return FaultKind.RECREATE_TOPIC;
    }
  }

  /**
   * A second consumer process starts against the same warehouse while the first is paused (SIGSTOP)
   * for {@code for}; then the first resumes and both run for a moment before the second is stopped.
   * Only one of them may commit.
   */
  record ZombieConsumer() implements Fault {
    @Override
    public FaultKind kind() {
      return FaultKind.ZOMBIE_CONSUMER;
    }
  }

  /** A schema change of the source, applied to the running database. */
  enum DdlChange {
    /**
     * {@code orders} gets a column, and the application (the writers) writes it and puts it into
     * its events from then on: fields the pipeline does not know.
     */
    ADD_COLUMN("add-column"),
    /**
     * {@code orders.currency} is widened from {@code varchar(3)} to {@code varchar(16)}, and the
     * writers use currency codes that only fit the wider type from then on.
     */
    WIDEN_TYPE("widen-type");

    private final String cliName;

    DdlChange(String cliName) {
      this.cliName = cliName;
    }

    public String cliName() {
      return cliName;
    }

    public static java.util.Optional<DdlChange> parse(String name) {
      return java.util.Arrays.stream(values()).filter(c -> c.cliName.equals(name)).findFirst();
    }

    public static List<String> names() {
      return java.util.Arrays.stream(values()).map(DdlChange::cliName).toList();
    }
  }

  /** The source schema changes mid-run while writers, publishers and the consumer go on. */
  record Ddl(DdlChange change) implements Fault {
    public Ddl {
      Objects.requireNonNull(change, "change");
    }

    @Override
    public FaultKind kind() {
      return FaultKind.DDL;
    }
  }

  /** Which way a writer's clock jumps. */
  enum SkewDirection {
    /** To an hour past the next UTC midnight. */
    FORWARD,
    /** To an hour before the last UTC midnight. */
    BACKWARD;

    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * One writer's clock jumps across a UTC date boundary (to an hour past the next midnight, or an
   * hour before the last one) while the fault holds: its events carry that date.
   *
   * @param writer the writer, from 0 (order id {@code i} belongs to writer {@code i % writers})
   */
  record ClockSkew(SkewDirection direction, int writer) implements Fault {
    public ClockSkew {
      Objects.requireNonNull(direction, "direction");
      if (writer < 0) {
        throw new IllegalArgumentException("writers are numbered from 0, was " + writer);
      }
    }

    @Override
    public FaultKind kind() {
      return FaultKind.CLOCK_SKEW;
    }
  }

  /** A directory of the consumer's that can run out of space. */
  enum Store {
    /** The Parquet lake. */
    LAKE,
    /** The DuckDB warehouse (its database file and WAL). */
    WAREHOUSE;

    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * The store's directory, a size-limited file system the harness mounted for the run, is filled up
   * while the fault holds, and emptied again when it heals.
   */
  record DiskFull(Store store) implements Fault {
    public DiskFull {
      Objects.requireNonNull(store, "store");
    }

    @Override
    public FaultKind kind() {
      return FaultKind.DISK_FULL;
    }
  }

  /**
   * A link is cut (blackholed, both ways) for longer than every client timeout on it; the loader
   * requires a {@code for} beyond {@link #longestClientTimeout(Link)}.
   */
  record LongOutage(Link link) implements Network {
    public LongOutage {
      Objects.requireNonNull(link, "link");
    }

    @Override
    public Direction direction() {
      return Direction.BOTH;
    }

    @Override
    public FaultKind kind() {
      return FaultKind.LONG_OUTAGE;
    }
  }

  /**
   * The longest timeout of the reference pipeline's clients on {@code link}, and which one it is: a
   * {@link LongOutage} must outlast it. Kafka: the producer's {@code delivery.timeout.ms} (30 s),
   * the consumer's {@code request.timeout.ms} (30 s); Postgres: the JDBC {@code socketTimeout} (30
   * s).
   */
  static ClientTimeout longestClientTimeout(Link link) {
    return switch (link) {
      case PUBLISHER_KAFKA -> new ClientTimeout("the producer's delivery.timeout.ms", 30_000);
      case CONSUMER_KAFKA -> new ClientTimeout("the consumer's request.timeout.ms", 30_000);
      case PUBLISHER_POSTGRES, WRITER_POSTGRES ->
          new ClientTimeout("the JDBC socketTimeout", 30_000);
    };
  }

  /** A client timeout on a link or a process: what it is and how long, in ms. */
  record ClientTimeout(String what, long millis) {}

  /**
   * The longest lock, lease or timeout a frozen publisher holds others up with: its claim's lease
   * (the Postgres {@code idle_in_transaction_session_timeout} of its session, 35 s), longer than
   * its producer's {@code delivery.timeout.ms} (30 s). A {@link LongPause} must outlast it.
   */
  ClientTimeout PUBLISHER_LEASES =
      new ClientTimeout(
          "the publisher's claim lease (idle_in_transaction_session_timeout)", 35_000);

  /**
   * A publisher is frozen (SIGSTOP) for longer than every lock, lease and timeout it holds, while
   * another publisher keeps running; the loader requires {@code topology.publishers} of at least 2
   * and a {@code for} beyond {@link #PUBLISHER_LEASES}.
   */
  record LongPause(Target target) implements Fault {
    public LongPause {
      Objects.requireNonNull(target, "target");
      if (Target.publisherNumber(target) == 0) {
        throw new IllegalArgumentException("long-pause freezes a publisher, not " + target);
      }
    }

    @Override
    public FaultKind kind() {
      return FaultKind.LONG_PAUSE;
    }
  }

  /**
   * On three brokers: the followers of {@code partition} stop fetching (paused) until only the
   * leader is in sync, the publishers get records acknowledged by the leader alone for {@code for},
   * then the leader is killed and a lagging follower is elected leader uncleanly, so the
   * acknowledged records it never fetched are truncated. A loss in Kafka, which the checkers must
   * see.
   */
  record UncleanLeaderElection(int partition) implements Fault {
    public UncleanLeaderElection {
      if (partition < 0) {
        throw new IllegalArgumentException("partitions are numbered from 0, was " + partition);
      }
    }

    @Override
    public FaultKind kind() {
      return FaultKind.UNCLEAN_LEADER_ELECTION;
    }
  }

  /** Every fault kind's key, in the order of the documentation. */
  List<String> KINDS = FaultKind.keys();

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
