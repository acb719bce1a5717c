package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Death;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.fault.FaultKind;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.FaultTrace;
import dev.cdcchaos.harness.fault.LinkEffect;
import dev.cdcchaos.harness.fault.Observed;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.harness.net.LinkCounters;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.publisher.SendCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns one fault of the vocabulary into actions on the running system, and gives back how to heal
 * it. Network faults go through toxiproxy-java on the link's proxies, process faults through the
 * nodes, crash points and delivery faults through the pipeline processes' control files, data
 * faults and slow commits through the workload and the poison producer.
 *
 * <p>It also gathers, for every fault it starts, the evidence that the fault took effect: the proxy
 * counters of its link when it starts and when it heals, the pid it signalled and whether that
 * process was alive, the publishers' send counts, the checkpoints before and after a rewind, the
 * transactions a slow commit held, the records injected. {@link #effects(List)} hands that evidence
 * with the supervisor's deaths to the pure judge {@link FaultEffects#judge}; a fault of the
 * schedule that never started (its trigger was not reached) has no evidence and did not take
 * effect.
 *
 * <p>How the runner uses it: {@link #start} each fault when its trigger fires, run the returned
 * heal when it ends, and once the pipeline is stopped call {@link #effects(List)} with the
 * supervisor's deaths and combine them into the verdict with {@link FaultEffects#combine}.
 */
final class FaultInjector {

  /** What a started fault needs to end. {@link #NOTHING} for instantaneous faults. */
  interface Heal {
    Heal NOTHING = () -> {};

    void heal();
  }

  /**
   * Gathers one fault's evidence: {@link #healed()} runs right after its heal, {@link #observed()}
   * once the run is over (the operations of {@link Operations} give their own).
   */
  interface Probe {
    default void healed() {}

    Observed observed();
  }

  /** One started fault: where it is in the schedule, when it started and healed, its probe. */
  private static final class Started {
    final int index;
    final long startedMs;
    Long healedMs;
    Probe probe;

    Started(int index, long startedMs) {
      this.index = index;
      this.startedMs = startedMs;
    }
  }

  private final RunContext ctx;
  private final List<FaultSpec> schedule;
  private final List<Started> started = new ArrayList<>();

  /**
   * @param schedule the scenario's faults; {@link #start} takes its elements (by identity), so
   *     equal faults at different positions keep their own evidence
   */
  FaultInjector(RunContext ctx, List<FaultSpec> schedule) {
    this.ctx = ctx;
    this.schedule = List.copyOf(schedule);
  }

  /** Starts {@code spec}'s fault, records it and returns how to heal it. */
  Heal start(FaultSpec spec) {
    Fault fault = spec.fault();
    Map<String, Object> details = describe(fault);
    spec.duration().ifPresent(d -> details.put("for", d.toMillis() + "ms"));
    History.Handle handle = ctx.history().invoke("nemesis", fault.kind().key(), details);
    try {
      // the invoke's time: a crash may halt the process before the injection returns
      long invokedMs = ctx.history().ops().get((int) handle.index()).timeNanos() / 1_000_000;
      Probe[] probe = new Probe[1];
      Heal heal = inject(fault, spec.duration(), p -> probe[0] = p);
      ctx.history().ok(handle, Map.of());
      Started s = new Started(indexOf(spec), invokedMs);
      s.probe = probe[0];
      synchronized (started) {
        started.add(s);
      }
      ctx.progress()
          .accept(
              "  fault: "
                  + fault.kind().key()
                  + " "
                  + details.get("target")
                  + (details.containsKey("point") ? " at " + details.get("point") : "")
                  + spec.duration().map(d -> " for " + d.toMillis() + " ms").orElse(""));
      return () -> {
        History.Handle h =
            ctx.history().invoke("nemesis", "heal-" + fault.kind().key(), describe(fault));
        try {
          heal.heal();
          Op healed = ctx.history().ok(h, Map.of());
          s.healedMs = healed.timeNanos() / 1_000_000;
          s.probe.healed();
        } catch (RuntimeException e) {
          ctx.history().fail(h, Map.of("error", String.valueOf(e.getMessage())));
          throw e;
        }
      };
    } catch (RuntimeException e) {
      ctx.history().fail(handle, Map.of("error", String.valueOf(e.getMessage())));
      throw e;
    }
  }

  /**
   * Whether each fault of the schedule took effect, with its evidence, and prints one line per
   * fault. Call once the pipeline processes are stopped, so their status files are final.
   *
   * @param deaths the supervisor's record of unplanned deaths (crash faults)
   */
  List<FaultEffect> effects(List<Death> deaths) {
    List<FaultTrace> traces = new ArrayList<>();
    finishWindows();
    synchronized (started) {
      for (Started s : started) {
        if (s.index >= 0) {
          traces.add(
              new FaultTrace(
                  s.index, s.startedMs, Optional.ofNullable(s.healedMs), s.probe.observed()));
        }
      }
    }
    List<FaultEffect> effects = FaultEffects.judge(schedule, traces, deaths);
    for (FaultEffect e : effects) {
      ctx.progress()
          .accept(
              String.format(
                  Locale.ROOT,
                  "  fault #%d %s: %s - %s",
                  e.index() + 1,
                  e.fault(),
                  e.tookEffect() ? "took effect" : e.optional() ? "did not (optional)" : "DID NOT",
                  e.evidence()));
    }
    return effects;
  }

  private int indexOf(FaultSpec spec) {
    for (int i = 0; i < schedule.size(); i++) {
      if (schedule.get(i) == spec) {
        return i;
      }
    }
    return -1;
  }

  private Heal inject(Fault fault, Optional<Duration> duration, Consumer<Probe> probe) {
    Links links = ctx.links();
    return switch (fault.kind()) {
      case PARTITION, LATENCY, BANDWIDTH, RESET_PEER, SLOW_CLOSE, LIMIT_DATA, LONG_OUTAGE -> {
        Fault.Network n = (Fault.Network) fault;
        if (n instanceof Fault.Partition p && p.inside().isPresent()) {
          yield partitionInside(p, probe);
        }
        probe.accept(new LinkProbe(links, n));
        links.inject(n);
        yield () -> links.clear(n);
      }
      case KILL -> {
        Node node = ctx.node(((Fault.Kill) fault).target());
        OptionalLong pid = node.pid();
        boolean alive = node.isRunning();
        node.kill();
        Observed.Signalled seen =
            new Observed.Signalled(node.name(), pid, alive, !node.isRunning());
        probe.accept(() -> seen);
        yield node::start;
      }
      case PAUSE -> pause(ctx.node(((Fault.Pause) fault).target()), probe::accept);
      case RESTART -> {
        Node node = ctx.node(((Fault.Restart) fault).target());
        RestartProbe restart = new RestartProbe(node);
        probe.accept(restart);
        node.stop();
        restart.stopped();
        yield node::start;
      }
      case CRASH -> {
        Fault.Crash c = (Fault.Crash) fault;
        PipelineProcess p = ctx.process(c.process());
        probe.accept(() -> new Observed.Armed(p.name(), c.point()));
        ctx.supervisor().restartDelay(p, duration.map(Duration::toMillis).orElse(0L));
        ControlSettings now = p.control();
        p.control(
            new ControlSettings(new ControlSettings.Crash(c.point(), 1), now.send(), now.hold()));
        yield Heal.NOTHING;
      }
      case DUPLICATE -> {
        probe.accept(new WindowProbe(fault.kind(), this::sendTotals));
        double fraction = ((Fault.Duplicate) fault).fraction();
        yield sendFault(s -> s.duplicateFraction = fraction);
      }
      case REORDER -> {
        probe.accept(new WindowProbe(fault.kind(), this::sendTotals));
        int window = ((Fault.Reorder) fault).window();
        yield sendFault(s -> s.reorderWindow = window);
      }
      case REDELIVER -> {
        Fault.Redeliver r = (Fault.Redeliver) fault;
        long records = r.rewind() instanceof Fault.Rewind.By by ? by.records() : Long.MAX_VALUE;
        PipelineProcess consumer = ctx.process(Target.Service.CONSUMER);
        consumer.stop();
        Observed.Rewound rewound = rewindCheckpoints(records);
        probe.accept(() -> rewound);
        consumer.start();
        yield Heal.NOTHING;
      }
      case SCHEMA_DRIFT -> {
        probe.accept(new WindowProbe(fault.kind(), () -> new long[] {ctx.workload().drifted()}));
        ctx.workload().schemaDrift(((Fault.SchemaDrift) fault).fraction());
        yield () -> ctx.workload().schemaDrift(0);
      }
      case SLOW_COMMIT -> {
        CommitStall.Hold hold =
            ctx.workload().stallCommits(((Fault.SlowCommit) fault).writers(), duration.isEmpty());
        probe.accept(() -> new Observed.Held(hold.held()));
        yield hold::run;
      }
      case POISON -> {
        Fault.Poison p = (Fault.Poison) fault;
        int injected = ctx.poison().publish(p.count(), p.kinds());
        probe.accept(() -> new Observed.Injected(injected, p.count()));
        yield Heal.NOTHING;
      }
      case RESET_OFFSETS -> Operations.resetOffsets(ctx, (Fault.ResetOffsets) fault, probe::accept);
      case RECREATE_TOPIC -> Operations.recreateTopic(ctx, probe::accept);
      case ZOMBIE_CONSUMER -> Operations.zombieConsumer(ctx, probe::accept);
      case DDL -> Operations.ddl(ctx, (Fault.Ddl) fault, probe::accept);
      case CLOCK_SKEW -> Operations.clockSkew(ctx, (Fault.ClockSkew) fault, probe::accept);
      case DISK_FULL -> Operations.diskFull(ctx, (Fault.DiskFull) fault, probe::accept);
      case LONG_PAUSE -> {
        PipelineProcess frozen = ctx.process(((Fault.LongPause) fault).target());
        LongSupplier others =
            () ->
                ctx.publishers().stream()
                    .filter(p -> p != frozen)
                    .mapToLong(p -> p.statusLong("published"))
                    .sum();
        long before = others.getAsLong();
        Probe[] pause = new Probe[1];
        Heal heal = pause(frozen, p -> pause[0] = p);
        long[] during = new long[1];
        probe.accept(
            new Probe() {
              @Override
              public void healed() {
                during[0] = others.getAsLong() - before;
              }

              @Override
              public Observed observed() {
                return new Observed.FrozenWhileOthersRan(
                    (Observed.Paused) pause[0].observed(), during[0]);
              }
            });
        yield heal;
      }
      case UNCLEAN_LEADER_ELECTION ->
          Operations.uncleanElection(ctx, (Fault.UncleanLeaderElection) fault, probe::accept);
    };
  }

  /** How long a cut timed to land inside transactions waits for a writer to reach its point. */
  static final Duration HOLD_WITHIN = Duration.ofSeconds(20);

  /**
   * A partition of {@code writer->postgres} that lands inside open transactions: every writer
   * process is asked to hold its transaction at the partition's {@code inside} point; once one is
   * held (or {@link #HOLD_WITHIN} passed) the link is cut and the writers are released into the
   * cut, so their next statement, or their commit, meets it.
   */
  private Heal partitionInside(Fault.Partition p, Consumer<Probe> probe) {
    WriterProcesses writers =
        ctx.workload()
            .processes()
            .orElseThrow(
                () ->
                    new dev.cdcchaos.harness.BadInputException(
                        "partition inside: "
                            + p.inside().get()
                            + " needs writer processes (workload.writers_in: processes)"));
    Links links = ctx.links();
    String point = p.inside().get();
    long id = writers.hold(point);
    List<String> held;
    try {
      held = writers.awaitHeld(id, HOLD_WITHIN);
      LinkProbe link = new LinkProbe(links, p);
      probe.accept(
          new Probe() {
            @Override
            public void healed() {
              link.healed();
            }

            @Override
            public Observed observed() {
              return new Observed.InTransactions((Observed.OnLink) link.observed(), point, held);
            }
          });
      links.inject(p);
    } finally {
      writers.release(id);
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("point", point);
    note.put("writers", held);
    ctx.history().note("nemesis", "cut-inside-transactions", note);
    return () -> links.clear(p);
  }

  /** SIGSTOP now, SIGCONT at the heal, with the evidence of both. */
  static Heal pause(Node node, Consumer<Probe> probe) {
    PauseProbe pause = new PauseProbe(node);
    probe.accept(pause);
    node.pause();
    pause.paused();
    return () -> {
      pause.resuming();
      node.resume();
    };
  }

  // ------------------------------------------------------------------------------- probes

  /**
   * A network fault: the link's proxy counters before it starts and after it healed (after, so a
   * blackhole's connections closed by the heal count); without a heal, at the end of the run.
   */
  private static final class LinkProbe implements Probe {
    private final Links links;
    private final Fault.Network fault;
    private final Optional<LinkCounters> before;
    private Optional<LinkCounters> after = Optional.empty();
    private boolean healed;

    LinkProbe(Links links, Fault.Network fault) {
      this.links = links;
      this.fault = fault;
      this.before = links.counters(fault.link().cliName());
    }

    @Override
    public void healed() {
      healed = true;
      after = links.counters(fault.link().cliName());
    }

    @Override
    public Observed observed() {
      if (!healed) {
        after = links.counters(fault.link().cliName());
      }
      if (before.isEmpty() || after.isEmpty()) {
        return new Observed.OnLink(Optional.empty());
      }
      LinkCounters d = after.get().minus(before.get());
      LinkCounters.ToxicCounts t = LinkCounters.ToxicCounts.ZERO;
      for (String name : Links.toxicNames(fault)) {
        t = t.plus(d.toxic(name));
      }
      return new Observed.OnLink(
          Optional.of(
              new LinkEffect(
                  d.connections(),
                  d.bytesUpstream() + d.bytesDownstream(),
                  t.connections(),
                  t.bytesDropped(),
                  t.bytesDelayed(),
                  t.connectionsCut(),
                  t.connectionsReset(),
                  t.closesDelayed(),
                  d.cutByDisable())));
    }
  }

  /** A pause: the pid stopped, whether it was seen stopped, and the pid resumed. */
  private static final class PauseProbe implements Probe {
    private final Node node;
    private final OptionalLong pid;
    private Optional<Boolean> stopped = Optional.of(false);
    private OptionalLong pidAtResume = OptionalLong.empty();

    PauseProbe(Node node) {
      this.node = node;
      this.pid = node.isRunning() ? node.pid() : OptionalLong.empty();
    }

    void paused() {
      Optional<Boolean> seen = node.seenPaused(); // a container: frozen, which /proc shows as 'D'
      if (seen.isPresent()) {
        stopped = seen;
      } else if (pid.isPresent()) {
        stopped = awaitStopped(pid.getAsLong());
      }
    }

    void resuming() {
      pidAtResume = node.isRunning() ? node.pid() : OptionalLong.empty();
    }

    @Override
    public Observed observed() {
      return new Observed.Paused(node.name(), pid, stopped, pidAtResume);
    }
  }

  /** A restart: the pid before the stop, whether it was gone, the pid after the start. */
  private static final class RestartProbe implements Probe {
    private final Node node;
    private final OptionalLong before;
    private boolean down;
    private OptionalLong after = OptionalLong.empty();

    RestartProbe(Node node) {
      this.node = node;
      this.before = node.isRunning() ? node.pid() : OptionalLong.empty();
    }

    void stopped() {
      down = !node.isRunning();
    }

    @Override
    public void healed() {
      after = node.isRunning() ? node.pid() : OptionalLong.empty();
    }

    @Override
    public Observed observed() {
      return new Observed.Restarted(node.name(), before, down, after);
    }
  }

  /**
   * A window fault measured by a run-wide counter that only its own kind moves (sends duplicated,
   * records moved, events drifted): what it counts from this fault's start until the next fault of
   * the same kind starts, or the run ends. Counting to the next start rather than to the heal keeps
   * the batches sent just before the heal, which a publisher reports only after they are
   * acknowledged.
   */
  private static final class WindowProbe implements Probe {
    final FaultKind kind;
    final Supplier<long[]> counter;
    final long[] atStart;
    long[] atEnd;

    WindowProbe(FaultKind kind, Supplier<long[]> counter) {
      this.kind = kind;
      this.counter = counter;
      this.atStart = counter.get();
    }

    @Override
    public Observed observed() {
      long[] end = atEnd == null ? counter.get() : atEnd;
      if (kind == FaultKind.SCHEMA_DRIFT) {
        return new Observed.Injected(end[0] - atStart[0], 0);
      }
      return new Observed.Sends(end[1] - atStart[1], end[2] - atStart[2], end[0] - atStart[0]);
    }
  }

  /** Ends each window probe where the next fault of its kind started. */
  private void finishWindows() {
    synchronized (started) {
      Map<FaultKind, WindowProbe> last = new TreeMap<>();
      for (Started s : started) {
        if (s.probe instanceof WindowProbe w) {
          WindowProbe previous = last.put(w.kind, w);
          if (previous != null) {
            previous.atEnd = w.atStart;
          }
        }
      }
    }
  }

  /** Batches, duplicated sends and moved records over every publisher and every life of each. */
  private long[] sendTotals() {
    SendCounts sum = SendCounts.NONE;
    for (PipelineProcess p : ctx.publishers()) {
      sum = sum.plus(p.sends());
    }
    return new long[] {sum.batches(), sum.duplicated(), sum.moved()};
  }

  /**
   * Whether {@code pid} shows stopped (state {@code T}) in {@code /proc} within a second (SIGSTOP
   * is delivered asynchronously); empty where {@code /proc} cannot be read.
   */
  private static Optional<Boolean> awaitStopped(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    long deadline = System.nanoTime() + 1_000_000_000L;
    while (true) {
      String text;
      try {
        text = Files.readString(stat);
      } catch (IOException e) {
        return Optional.empty();
      }
      // the state follows the command name, which is in parentheses and may contain spaces
      int close = text.lastIndexOf(')');
      char state = close >= 0 && close + 2 < text.length() ? text.charAt(close + 2) : '?';
      if (state == 'T' || state == 't') {
        return Optional.of(true);
      }
      if (System.nanoTime() > deadline) {
        return Optional.of(false);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.of(false);
      }
    }
  }

  // ------------------------------------------------------------------------------- actions

  /**
   * Moves the stopped consumer's checkpoints back by {@code records} per partition (not below 0),
   * as an operator resetting offsets would: the consumer then reads records it already applied, and
   * the ledger must absorb them. Returns the checkpoints before and after.
   */
  private Observed.Rewound rewindCheckpoints(long records) {
    String url = "jdbc:duckdb:" + ctx.warehouseFile();
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
      Map<Integer, Long> from = checkpoints(c);
      try (java.sql.PreparedStatement st =
          c.prepareStatement(
              "UPDATE wh_checkpoints SET next_offset = CASE WHEN next_offset > ? THEN next_offset - ? ELSE 0 END")) {
        st.setLong(1, records);
        st.setLong(2, records);
        st.executeUpdate();
      }
      // the checkpoints-sound checker excuses regressions down to these offsets, and only those
      try (java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery("SELECT topic, kafka_partition, next_offset FROM wh_checkpoints")) {
        while (rs.next()) {
          ctx.history()
              .note(
                  "nemesis",
                  "redeliver",
                  Map.of(
                      "topic",
                      rs.getString(1),
                      "partition",
                      rs.getInt(2),
                      "offset",
                      rs.getLong(3),
                      "from",
                      from.getOrDefault(rs.getInt(2), -1L)));
        }
      }
      return new Observed.Rewound(from, checkpoints(c));
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot rewind the consumer's checkpoints: " + e.getMessage(), e);
    }
  }

  /** The checkpoints in a warehouse file no process holds (the consumer is stopped). */
  static Map<Integer, Long> checkpoints(Path warehouse) {
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + warehouse)) {
      return checkpoints(c);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot read the consumer's checkpoints in " + warehouse + ": " + e.getMessage(), e);
    }
  }

  static Map<Integer, Long> checkpoints(java.sql.Connection c) throws java.sql.SQLException {
    Map<Integer, Long> m = new TreeMap<>();
    try (java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs =
            st.executeQuery("SELECT kafka_partition, next_offset FROM wh_checkpoints")) {
      while (rs.next()) {
        m.put(rs.getInt(1), rs.getLong(2));
      }
    }
    return m;
  }

  /** Mutable view of the publisher's send settings while a delivery fault changes one of them. */
  private static final class SendKnobs {
    double duplicateFraction;
    int reorderWindow;
    double dropThenRetryFraction;
    long delayMs;
  }

  /**
   * Changes the send settings of every publisher (a delivery fault is on the path to Kafka, which
   * they all share) and returns how to restore each one's.
   */
  private Heal sendFault(Consumer<SendKnobs> change) {
    List<Heal> heals = new ArrayList<>();
    List<PipelineProcess> publishers = ctx.publishers();
    for (int i = 0; i < publishers.size(); i++) {
      // publisher 1 keeps the run's seed; the others draw their own sequences from it
      heals.add(sendFault(publishers.get(i), change, ctx.seed() + i));
    }
    return () -> heals.forEach(Heal::heal);
  }

  private Heal sendFault(PipelineProcess publisher, Consumer<SendKnobs> change, long seed) {
    synchronized (publisher) {
      ControlSettings before = publisher.control();
      SendKnobs knobs = new SendKnobs();
      if (before.send() != null) {
        knobs.duplicateFraction = before.send().duplicateFraction();
        knobs.reorderWindow = before.send().reorderWindow();
        knobs.dropThenRetryFraction = before.send().dropThenRetryFraction();
        knobs.delayMs = before.send().delayMs();
      }
      change.accept(knobs);
      publisher.control(
          new ControlSettings(
              before.crash(),
              new ControlSettings.Send(
                  knobs.duplicateFraction,
                  knobs.reorderWindow,
                  knobs.dropThenRetryFraction,
                  knobs.delayMs,
                  seed)));
      ControlSettings.Send restore = before.send();
      return () -> {
        synchronized (publisher) {
          ControlSettings now = publisher.control();
          publisher.control(new ControlSettings(now.crash(), restore));
        }
      };
    }
  }

  /** The fault's parameters as history details. */
  static Map<String, Object> describe(Fault fault) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fault", fault.kind().key());
    String text = fault.toString();
    int open = text.indexOf('(');
    m.put("spec", open < 0 ? text : text.substring(open + 1, text.length() - 1));
    m.put(
        "target",
        switch (fault.kind()) {
          case PARTITION, LATENCY, BANDWIDTH, RESET_PEER, SLOW_CLOSE, LIMIT_DATA, LONG_OUTAGE ->
              ((Fault.Network) fault).link().cliName();
          case KILL, PAUSE, RESTART -> ((Fault.OnProcess) fault).target().cliName();
          case CRASH -> ((Fault.Crash) fault).process().cliName();
          case DUPLICATE, REORDER -> "publisher";
          case REDELIVER, RESET_OFFSETS, ZOMBIE_CONSUMER, DISK_FULL -> "consumer";
          case SLOW_COMMIT, CLOCK_SKEW, LONG_PAUSE, UNCLEAN_LEADER_ELECTION, DDL, RECREATE_TOPIC ->
              FaultEffects.target(fault);
          case SCHEMA_DRIFT, POISON -> "workload";
        });
    if (fault instanceof Fault.Crash c) {
      m.put("point", c.point());
    }
    return m;
  }
}
