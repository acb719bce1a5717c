package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultKind;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.FieldReader.Obj;
import dev.cdcchaos.harness.scenario.YamlNode.Key;
import dev.cdcchaos.harness.scenario.YamlNode.Mapping;
import dev.cdcchaos.harness.scenario.YamlNode.Scalar;
import dev.cdcchaos.harness.scenario.YamlNode.Sequence;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.harness.workload.WritersIn;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a scenario's {@code faults}: each list item's trigger, its one kind key with the kind's own
 * fields, its {@code for} and {@code optional}, checked against the topology and the workload the
 * file declares (a target the topology runs, a trigger the workload reaches, a window long enough
 * for the kind). Which fields a kind takes comes from {@link FaultKind}; the value of each kind is
 * read by one case of an exhaustive switch, so a new kind cannot be left unread.
 */
final class FaultReader {
  static final int MAX_FAULTS = 100;
  static final int MAX_POISON = 100_000;
  static final Duration MAX_TOXIC_TIME = Duration.ofSeconds(60);
  static final List<String> FAULT_COMMON = List.of("at", "for", "optional");

  private final FieldReader r;
  private final Topology topology;
  private final WorkloadSpec workload;

  /**
   * @param topology the file's topology (targets, publishers and partitions are checked against it)
   * @param workload the file's workload, or null when it could not be read (then the checks that
   *     need it are skipped)
   */
  FaultReader(FieldReader r, Topology topology, WorkloadSpec workload) {
    this.r = r;
    this.topology = topology;
    this.workload = workload;
  }

  /** The extra fields each fault kind takes besides {@code at}, {@code for} and its own key. */
  static java.util.Map<String, List<String>> params() {
    java.util.Map<String, List<String>> m = new java.util.LinkedHashMap<>();
    for (FaultKind k : FaultKind.values()) {
      m.put(k.key(), k.params());
    }
    return java.util.Collections.unmodifiableMap(m);
  }

  /** The faults of the list at {@code node} (field {@code faults}); problems are recorded. */
  List<FaultSpec> faults(YamlNode node) {
    if (node instanceof Scalar s && (s.isNull() || s.text().isEmpty())) {
      return List.of();
    }
    if (!(node instanceof Sequence seq)) {
      r.problem(node, "faults", "found " + node.describe() + ", expected a list of faults");
      return List.of();
    }
    if (seq.items().size() > MAX_FAULTS) {
      r.problem(
          node,
          "faults",
          seq.items().size() + " faults, expected at most " + MAX_FAULTS + " per scenario");
    }
    List<FaultSpec> faults = new ArrayList<>();
    for (int i = 0; i < seq.items().size(); i++) {
      FaultSpec f = fault(seq.items().get(i), "faults[" + i + "]");
      if (f != null) {
        faults.add(f);
      }
    }
    return faults;
  }

  private FaultSpec fault(YamlNode node, String path) {
    if (!(node instanceof Mapping map)) {
      r.problem(
          node,
          path,
          "found "
              + node.describe()
              + ", expected a fault mapping like { at: { after: 3s }, kill: consumer }");
      return null;
    }
    List<String> kinds = map.keys().keySet().stream().filter(Fault.KINDS::contains).toList();
    if (kinds.size() > 1) {
      r.problem(
          map.keys().get(kinds.get(1)),
          path,
          "found more than one fault kind ("
              + String.join(", ", kinds)
              + "), expected one per list item: write each fault as its own '- { ... }'");
      return null;
    }
    if (kinds.isEmpty()) {
      Set<String> allParams =
          Arrays.stream(FaultKind.values())
              .flatMap(k -> k.params().stream())
              .collect(Collectors.toSet());
      Optional<Key> stranger =
          map.keys().values().stream()
              .filter(k -> !FAULT_COMMON.contains(k.name()) && !allParams.contains(k.name()))
              .findFirst();
      if (stranger.isPresent()) {
        String typed = stranger.get().name();
        r.problem(
            stranger.get(),
            path,
            "unknown fault kind '"
                + typed
                + "', expected one of "
                + String.join(", ", Fault.KINDS)
                + FieldReader.didYouMean(typed, Fault.KINDS));
      } else {
        r.problem(
            map, path, "no fault kind given, expected one of " + String.join(", ", Fault.KINDS));
      }
      return null;
    }
    FaultKind kind = FaultKind.parse(kinds.get(0)).orElseThrow();
    List<String> allowed = new ArrayList<>(FAULT_COMMON);
    allowed.add(kind.key());
    allowed.addAll(kind.params());
    Obj f = r.obj(map, path, allowed, "a '" + kind.key() + "' fault");
    Trigger at = r.required(f, "at") ? trigger(f.node("at"), f.path("at")) : null;
    Fault fault = faultOfKind(kind, f);
    Optional<Duration> duration = Optional.empty();
    if (f.has("for")) {
      if (kind.healing() == Fault.Healing.INSTANT) {
        r.problem(
            f.map.keys().get("for"),
            f.path("for"),
            "'" + kind.key() + "' is a one-off action and takes no duration, expected no 'for'");
        return null;
      }
      Duration min = kind.healing() == Fault.Healing.WINDOW ? Duration.ofMillis(1) : Duration.ZERO;
      Duration d = r.duration(f.node("for"), f.path("for"), min, ScenarioLoader.MAX_TIME);
      if (d == null) {
        return null;
      }
      duration = Optional.of(d);
    }
    if (fault != null && !durationFits(fault, f, duration)) {
      return null;
    }
    Boolean optional =
        f.has("optional") ? r.bool(f.node("optional"), f.path("optional")) : Boolean.FALSE;
    if (at == null || fault == null || optional == null) {
      return null;
    }
    Optional<Duration> fd = duration;
    return r.build(map, path, () -> new FaultSpec(at, fd, fault, optional), null);
  }

  /**
   * Whether {@code duration} suits the kind: the kinds that must outlast a timeout need a {@code
   * for} beyond it; the others take what the healing rule allows. Says why when not.
   */
  private boolean durationFits(Fault fault, Obj f, Optional<Duration> duration) {
    Optional<Fault.ClientTimeout> outlast =
        switch (fault.kind()) {
          case PARTITION, LATENCY, BANDWIDTH, RESET_PEER, SLOW_CLOSE, LIMIT_DATA ->
              Optional.empty();
          case KILL, PAUSE, RESTART, CRASH, DUPLICATE, REORDER, REDELIVER -> Optional.empty();
          case SCHEMA_DRIFT, SLOW_COMMIT, POISON, RESET_OFFSETS, RECREATE_TOPIC -> Optional.empty();
          case DDL, CLOCK_SKEW, DISK_FULL -> Optional.empty();
          case ZOMBIE_CONSUMER -> Optional.of(ZOMBIE_SESSION);
          case LONG_OUTAGE ->
              Optional.of(Fault.longestClientTimeout(((Fault.LongOutage) fault).link()));
          case LONG_PAUSE -> Optional.of(Fault.PUBLISHER_LEASES);
          case UNCLEAN_LEADER_ELECTION -> Optional.of(ALONE_AT_LEAST);
        };
    if (outlast.isEmpty()) {
      return true;
    }
    Fault.ClientTimeout t = outlast.get();
    String key = fault.kind().key();
    if (duration.isEmpty()) {
      r.problem(
          f.map,
          f.path("for"),
          "missing required field 'for': a '"
              + key
              + "' must last longer than "
              + t.what()
              + " ("
              + Durations.format(Duration.ofMillis(t.millis()))
              + "), e.g. for: "
              + Durations.format(Duration.ofMillis(t.millis() + 5_000)));
      return false;
    }
    if (duration.get().toMillis() <= t.millis()) {
      r.problem(
          f.node("for"),
          f.path("for"),
          "found "
              + Durations.format(duration.get())
              + ", too short: a '"
              + key
              + "' must last longer than "
              + t.what()
              + " ("
              + Durations.format(Duration.ofMillis(t.millis()))
              + ")");
      return false;
    }
    return true;
  }

  /**
   * What a paused consumer must outlast before its zombie runs: the Kafka consumer's {@code
   * session.timeout.ms} as the consumer group coordinator would apply it to a member (the reference
   * consumer assigns its partitions itself, so the warehouse lock is its fencing; the pause is long
   * enough for a group member's lease to be gone).
   */
  static final Fault.ClientTimeout ZOMBIE_SESSION =
      new Fault.ClientTimeout("a consumer group session (session.timeout.ms, 6 s here)", 6_000);

  /** How long the leader must take records alone before the unclean election (at least 1 s). */
  static final Fault.ClientTimeout ALONE_AT_LEAST =
      new Fault.ClientTimeout("a second of records acknowledged by the leader alone", 999);

  /** Kinds that change what the writers of the harness JVM do; writer processes lack them yet. */
  private static final Set<FaultKind> IN_JVM_WRITERS_ONLY =
      Set.of(FaultKind.SLOW_COMMIT, FaultKind.CLOCK_SKEW, FaultKind.SCHEMA_DRIFT, FaultKind.DDL);

  private Fault faultOfKind(FaultKind kind, Obj f) {
    String kp = f.path(kind.key());
    YamlNode value = f.node(kind.key());
    if (IN_JVM_WRITERS_ONLY.contains(kind)
        && workload != null
        && workload.writersIn() == WritersIn.PROCESSES) {
      r.problem(
          value,
          kp,
          kind.key()
              + " acts on writers in the harness JVM and is not injected into writer processes,"
              + " expected workload.writers_in: jvm for it");
      return null;
    }
    return switch (kind) {
      case PARTITION -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.BOTH);
        Fault.PartitionMode mode =
            f.has("mode")
                ? r.choice(
                    f.node("mode"),
                    f.path("mode"),
                    "partition mode",
                    s ->
                        Arrays.stream(Fault.PartitionMode.values())
                            .filter(m -> m.cliName().equals(s))
                            .findFirst(),
                    Arrays.stream(Fault.PartitionMode.values())
                        .map(Fault.PartitionMode::cliName)
                        .toList())
                : Fault.PartitionMode.BLACKHOLE;
        Optional<String> inside = f.has("inside") ? inside(f, link) : Optional.empty();
        yield link == null || dir == null || mode == null || inside == null
            ? null
            : new Fault.Partition(link, dir, mode, inside);
      }
      case LATENCY -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.DOWNSTREAM);
        Duration delay =
            r.required(f, "delay")
                ? r.duration(f.node("delay"), f.path("delay"), Duration.ZERO, MAX_TOXIC_TIME)
                : null;
        Duration jitter =
            f.has("jitter")
                ? r.duration(f.node("jitter"), f.path("jitter"), Duration.ZERO, MAX_TOXIC_TIME)
                : Duration.ZERO;
        yield link == null || dir == null || delay == null || jitter == null
            ? null
            : new Fault.Latency(link, dir, delay, jitter);
      }
      case BANDWIDTH -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.DOWNSTREAM);
        Long rate = r.required(f, "kb_per_s") ? r.longIn(f, "kb_per_s", 1, 10_000_000L) : null;
        yield link == null || dir == null || rate == null
            ? null
            : new Fault.Bandwidth(link, dir, rate);
      }
      case RESET_PEER -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.DOWNSTREAM);
        Duration timeout =
            f.has("timeout")
                ? r.duration(f.node("timeout"), f.path("timeout"), Duration.ZERO, MAX_TOXIC_TIME)
                : Duration.ZERO;
        yield link == null || dir == null || timeout == null
            ? null
            : new Fault.ResetPeer(link, dir, timeout);
      }
      case SLOW_CLOSE -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.DOWNSTREAM);
        Duration delay =
            r.required(f, "delay")
                ? r.duration(f.node("delay"), f.path("delay"), Duration.ZERO, MAX_TOXIC_TIME)
                : null;
        yield link == null || dir == null || delay == null
            ? null
            : new Fault.SlowClose(link, dir, delay);
      }
      case LIMIT_DATA -> {
        Link link = link(value, kp);
        Direction dir = direction(f, Direction.DOWNSTREAM);
        Long bytes = r.required(f, "bytes") ? r.longIn(f, "bytes", 0, 1_000_000_000_000L) : null;
        yield link == null || dir == null || bytes == null
            ? null
            : new Fault.LimitData(link, dir, bytes);
      }
      case KILL -> {
        Target t = target(value, kp);
        yield t == null ? null : new Fault.Kill(t);
      }
      case PAUSE -> {
        Target t = target(value, kp);
        yield t == null ? null : new Fault.Pause(t);
      }
      case RESTART -> {
        Target t = target(value, kp);
        yield t == null ? null : new Fault.Restart(t);
      }
      case CRASH -> crash(f, value, kp);
      case DUPLICATE -> {
        Double fr = r.fractionValue(value, kp, false);
        yield fr == null ? null : new Fault.Duplicate(fr);
      }
      case REORDER -> {
        Long window = r.longValueIn(value, kp, 2, 100_000, "a window of records");
        yield window == null ? null : new Fault.Reorder(window.intValue());
      }
      case REDELIVER -> redeliver(value, kp);
      case SCHEMA_DRIFT -> {
        Double fr = r.fractionValue(value, kp, false);
        yield fr == null ? null : new Fault.SchemaDrift(fr);
      }
      case SLOW_COMMIT -> slowCommit(value, kp, f.has("for"));
      case POISON -> {
        Long count = r.longValueIn(value, kp, 1, MAX_POISON, "a count of poison records");
        List<PoisonKind> kinds =
            f.has("kinds")
                ? r.poisonKinds(f.node("kinds"), f.path("kinds"))
                : FieldReader.allPoisonKinds();
        yield count == null || kinds == null ? null : new Fault.Poison(count.intValue(), kinds);
      }
      case RESET_OFFSETS -> resetOffsets(value, kp);
      case RECREATE_TOPIC -> {
        String how =
            r.choice(
                value,
                kp,
                "way to recreate the topic",
                s -> s.equals("drained") ? Optional.of(s) : Optional.empty(),
                List.of("drained"));
        yield how == null ? null : new Fault.RecreateTopic();
      }
      case ZOMBIE_CONSUMER -> {
        String who =
            r.choice(
                value,
                kp,
                "process to pause and double",
                s -> s.equals("consumer") ? Optional.of(s) : Optional.empty(),
                List.of("consumer"));
        yield who == null ? null : new Fault.ZombieConsumer();
      }
      case DDL -> {
        Fault.DdlChange change =
            r.choice(value, kp, "schema change", Fault.DdlChange::parse, Fault.DdlChange.names());
        yield change == null ? null : new Fault.Ddl(change);
      }
      case CLOCK_SKEW -> clockSkew(f, value, kp);
      case DISK_FULL -> {
        List<String> stores =
            Arrays.stream(Fault.Store.values()).map(Fault.Store::cliName).toList();
        Fault.Store store =
            r.choice(
                value,
                kp,
                "store",
                s ->
                    Arrays.stream(Fault.Store.values())
                        .filter(x -> x.cliName().equals(s))
                        .findFirst(),
                stores);
        yield store == null ? null : new Fault.DiskFull(store);
      }
      case LONG_OUTAGE -> {
        Link link = link(value, kp);
        yield link == null ? null : new Fault.LongOutage(link);
      }
      case LONG_PAUSE -> longPause(value, kp);
      case UNCLEAN_LEADER_ELECTION -> uncleanElection(value, kp);
    };
  }

  private Fault resetOffsets(YamlNode value, String kp) {
    String expected =
        "expected earliest, latest, or a duration back from the fault like 5s (as"
            + " kafka-consumer-groups --reset-offsets --to-earliest, --to-latest, --by-duration)";
    if (value instanceof Scalar s && s.isString() && s.text().equals("earliest")) {
      return new Fault.ResetOffsets(new Fault.OffsetReset.Earliest());
    }
    if (value instanceof Scalar s && s.isString() && s.text().equals("latest")) {
      return new Fault.ResetOffsets(new Fault.OffsetReset.Latest());
    }
    if (value instanceof Scalar s && s.isString() && Durations.parse(s.text()).isPresent()) {
      Duration ago = r.duration(value, kp, Duration.ZERO, ScenarioLoader.MAX_TIME);
      return ago == null ? null : new Fault.ResetOffsets(new Fault.OffsetReset.Ago(ago));
    }
    r.problem(value, kp, "found " + value.describe() + ", " + expected);
    return null;
  }

  private Fault clockSkew(Obj f, YamlNode value, String kp) {
    Fault.SkewDirection direction =
        r.choice(
            value,
            kp,
            "clock jump",
            s ->
                Arrays.stream(Fault.SkewDirection.values())
                    .filter(d -> d.cliName().equals(s))
                    .findFirst(),
            Arrays.stream(Fault.SkewDirection.values()).map(Fault.SkewDirection::cliName).toList());
    int writers = workload == null ? ScenarioLoader.MAX_WRITERS : workload.writers();
    Long writer =
        f.has("writer")
            ? r.longValueIn(
                f.node("writer"),
                f.path("writer"),
                0,
                writers - 1,
                "a writer number (the workload has " + writers + ", numbered from 0)")
            : Long.valueOf(0);
    return direction == null || writer == null
        ? null
        : new Fault.ClockSkew(direction, writer.intValue());
  }

  private Fault longPause(YamlNode value, String kp) {
    List<String> publishers =
        Target.names(topology.brokers(), topology.publishers()).stream()
            .filter(n -> n.startsWith("publisher"))
            .toList();
    if (topology.publishers() < 2) {
      r.problem(
          value,
          kp,
          "a long-pause freezes one publisher while another runs, but the topology runs "
              + topology.publishers()
              + " publisher: set topology.publishers to 2 or more");
      return null;
    }
    Target t =
        value instanceof Scalar s
                && Target.parse(s.text()).orElse(null) instanceof Target.Publisher
                && beyondTopology(value, kp, publishers)
            ? null
            : r.choice(
                value,
                kp,
                "publisher",
                s -> Target.parse(s).filter(x -> publishers.contains(x.cliName())),
                publishers);
    return t == null ? null : new Fault.LongPause(t);
  }

  private Fault uncleanElection(YamlNode value, String kp) {
    Long partition =
        r.longValueIn(
            value,
            kp,
            0,
            topology.partitions() - 1,
            "a partition of the topic (it has " + topology.partitions() + ", numbered from 0)");
    if (partition == null) {
      return null;
    }
    if (topology.brokers() != 3 || topology.replicationFactor() < 2) {
      r.problem(
          value,
          kp,
          "an unclean leader election needs a lagging replica to elect: expected topology {"
              + " brokers: 3, replication_factor: 2 or 3 }, found "
              + topology.brokers()
              + " broker(s) and replication factor "
              + topology.replicationFactor());
      return null;
    }
    return new Fault.UncleanLeaderElection(partition.intValue());
  }

  /**
   * The {@code inside} of a partition: a writer's crash point, on {@code writer->postgres}, with
   * writer processes; null after a problem.
   */
  private Optional<String> inside(Obj f, Link link) {
    List<String> points = CrashPoints.ALL.stream().filter(p -> p.startsWith("writer.")).toList();
    String point =
        r.choice(
            f.node("inside"),
            f.path("inside"),
            "writer's crash point",
            s -> points.contains(s) ? Optional.of(s) : Optional.empty(),
            points);
    if (point == null) {
      return null;
    }
    if (link != null && link != Link.WRITER_POSTGRES) {
      r.problem(
          f.node("inside"),
          f.path("inside"),
          "only a partition of writer->postgres lands inside a writer's transaction, found link "
              + link.cliName());
      return null;
    }
    if (workload != null && workload.writersIn() != WritersIn.PROCESSES) {
      r.problem(
          f.node("inside"),
          f.path("inside"),
          "holding a writer inside its transaction needs writer processes: set"
              + " workload.writers_in: processes");
      return null;
    }
    return Optional.of(point);
  }

  private Fault crash(Obj f, YamlNode value, String kp) {
    List<String> names = new ArrayList<>();
    names.add(Target.Service.CONSUMER.cliName());
    names.addAll(
        targetNames().stream()
            .filter(n -> n.startsWith("publisher") || n.startsWith("writer"))
            .toList());
    Target process =
        value instanceof Scalar s
                && (Target.parse(s.text()).orElse(null) instanceof Target.Publisher
                    || Target.parse(s.text()).orElse(null) instanceof Target.Writer)
                && beyondTopology(value, kp, names)
            ? null
            : r.choice(
                value,
                kp,
                "process with crash points",
                s -> Target.parse(s).filter(x -> names.contains(x.cliName())),
                names);
    if (!r.required(f, "point")) {
      return null;
    }
    String point =
        r.choice(
            f.node("point"),
            f.path("point"),
            "crash point",
            s -> CrashPoints.ALL.contains(s) ? Optional.of(s) : Optional.empty(),
            CrashPoints.ALL);
    if (process == null || point == null) {
      return null;
    }
    String role = Fault.Crash.role(process);
    if (!point.startsWith(role + ".")) {
      List<String> own = CrashPoints.ALL.stream().filter(p -> p.startsWith(role + ".")).toList();
      r.problem(
          f.node("point"),
          f.path("point"),
          "'"
              + point
              + "' is not a crash point of the "
              + role
              + ", expected one of "
              + String.join(", ", own));
      return null;
    }
    return new Fault.Crash(process, point);
  }

  private Fault slowCommit(YamlNode value, String kp, boolean timed) {
    Long writers = r.longValueIn(value, kp, 1, ScenarioLoader.MAX_WRITERS, "a number of writers");
    if (writers == null) {
      return null;
    }
    int w = workload == null ? Integer.MAX_VALUE : workload.writers();
    if (writers > w) {
      r.problem(
          value,
          kp,
          "found "
              + writers
              + ", out of range, expected a number of writers in 1.."
              + w
              + " (the workload has "
              + w
              + ")");
      return null;
    }
    if (writers == w && !timed) {
      r.problem(
          value,
          kp,
          "found "
              + writers
              + ", every writer of the workload, without 'for', expected a 'for' (held \"until"
              + " the other writers finished\", these would never be released) or fewer than "
              + w
              + " writers");
      return null;
    }
    return new Fault.SlowCommit(writers.intValue());
  }

  private Fault redeliver(YamlNode value, String kp) {
    if (value instanceof Scalar s && s.isString() && s.text().equals("earliest")) {
      return new Fault.Redeliver(new Fault.Rewind.ToStart());
    }
    if (value instanceof Scalar s && s.isInteger()) {
      Long n = r.longValueIn(value, kp, 1, Long.MAX_VALUE, "a number of records");
      return n == null ? null : new Fault.Redeliver(new Fault.Rewind.By(n));
    }
    r.problem(
        value,
        kp,
        "found "
            + value.describe()
            + ", expected a number of records to rewind (>= 1) or 'earliest' (offset 0)");
    return null;
  }

  private Trigger trigger(YamlNode node, String path) {
    if (node instanceof Scalar s && s.isString()) {
      Duration d = r.duration(node, path, Duration.ZERO, ScenarioLoader.MAX_TIME);
      return d == null ? null : new Trigger.After(d);
    }
    List<String> keys = new ArrayList<>();
    keys.add("after");
    keys.addAll(Trigger.Counter.keys());
    Obj at = r.obj(node, path, keys, "a trigger");
    if (at == null) {
      return null;
    }
    if (at.map.keys().size() != 1) {
      r.problem(
          at.map,
          path,
          (at.map.keys().isEmpty() ? "empty trigger" : "found " + at.map.keys().keySet())
              + ", expected exactly one of "
              + String.join(", ", keys)
              + ", e.g. { after: 3s } or { events_applied: 300 }");
      return null;
    }
    String key = at.map.keys().keySet().iterator().next();
    if (!keys.contains(key)) {
      return null;
    }
    if (key.equals("after")) {
      Duration d =
          r.duration(at.node("after"), at.path("after"), Duration.ZERO, ScenarioLoader.MAX_TIME);
      return d == null ? null : new Trigger.After(d);
    }
    Trigger.Counter counter = Trigger.Counter.parse(key).orElseThrow();
    Long count = r.longValueIn(at.node(key), at.path(key), 0, Long.MAX_VALUE, "a count of events");
    if (count == null) {
      return null;
    }
    if (workload != null && count > workload.minEvents()) {
      r.problem(
          at.node(key),
          at.path(key),
          count
              + " may never be reached, expected at most "
              + workload.minEvents()
              + ": the workload commits at least that many events (orders x (1 +"
              + " updates_per_order))");
      return null;
    }
    return new Trigger.Progress(counter, count);
  }

  private Link link(YamlNode node, String path) {
    return r.choice(node, path, "link", Link::parse, Link.names());
  }

  private Direction direction(Obj f, Direction fallback) {
    if (!f.has("direction")) {
      return fallback;
    }
    return r.choice(
        f.node("direction"), f.path("direction"), "direction", Direction::parse, Direction.names());
  }

  /** The process targets of this file: its brokers, publishers and writer processes. */
  private List<String> targetNames() {
    int writerProcesses =
        workload != null && workload.writersIn() == WritersIn.PROCESSES ? workload.writers() : 0;
    return Target.names(topology.brokers(), topology.publishers(), writerProcesses);
  }

  private Target target(YamlNode node, String path) {
    List<String> names = targetNames();
    if (beyondTopology(node, path, names)) {
      return null;
    }
    return r.choice(
        node, path, "target", s -> Target.parse(s).filter(x -> names.contains(x.cliName())), names);
  }

  /**
   * Whether {@code node} names a broker or publisher the topology does not run ({@code kafka-3}
   * with {@code brokers: 1}, {@code publisher-3} with {@code publishers: 2}); says so as a problem.
   */
  private boolean beyondTopology(YamlNode node, String path, List<String> names) {
    if (!(node instanceof Scalar s)) {
      return false;
    }
    Target target = Target.parse(s.text()).orElse(null);
    int runs;
    String kind;
    String hint;
    if (target instanceof Target.Broker b && b.number() > topology.brokers()) {
      runs = topology.brokers();
      kind = "broker";
      hint = "";
    } else if (target instanceof Target.Publisher p && p.number() > topology.publishers()) {
      runs = topology.publishers();
      kind = "publisher";
      hint = ": set topology.publishers";
    } else if (target instanceof Target.Writer w
        && workload != null
        && workload.writersIn() != WritersIn.PROCESSES) {
      r.problem(
          node,
          path,
          "'"
              + s.text()
              + "' is a writer process, but the writers run in the harness JVM: set"
              + " workload.writers_in: processes");
      return true;
    } else if (target instanceof Target.Writer w
        && workload != null
        && w.number() >= workload.writers()) {
      runs = workload.writers();
      kind = "writer process";
      hint = ", numbered from 0: set workload.writers";
    } else {
      return false;
    }
    r.problem(
        node,
        path,
        "unknown target '"
            + s.text()
            + "' (the topology has "
            + runs
            + " "
            + kind
            + (runs == 1 ? "" : "s")
            + hint
            + "), expected one of "
            + String.join(", ", names));
    return true;
  }
}
