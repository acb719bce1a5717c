package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.check.Visibility;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.infra.Infrastructure;
import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.observe.ObservationFile;
import dev.cdcchaos.harness.report.FaultTimeline;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.scenario.Invariant;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.sut.Applicability;
import dev.cdcchaos.harness.sut.Capability;
import dev.cdcchaos.harness.sut.Need;
import dev.cdcchaos.harness.sut.PipelineDescription;
import dev.cdcchaos.harness.sut.Pipelines;
import dev.cdcchaos.harness.sut.StageCommand;
import dev.cdcchaos.harness.sut.StageSettings;
import dev.cdcchaos.harness.workload.PoisonSpec;
import dev.cdcchaos.harness.workload.SourceOp;
import dev.cdcchaos.harness.workload.Workload;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Runs one scenario end to end: the seeded workload through the real pipeline (the consumer and
 * {@code topology.publishers} publishers claiming from one outbox, each a separate JVM; every link
 * through a Toxiproxy proxy, shared by all publishers) under the scenario's fault schedule; after
 * the last fault heals it waits for the pipeline to drain within the scenario's bound, stops it,
 * reads everything and runs the checkers. Writes the run's report folder and returns the verdict.
 */
public final class ScenarioRunner {
  private static final long TICK_MS = 100;

  /** How long the publisher and consumer may take to start before the workload starts anyway. */
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  /** A process whose status is older than this is not answering (failing or still starting). */
  private static final Duration ANSWERING = Duration.ofSeconds(3);

  /** How much of the end of each server's log a run that is not valid keeps. */
  private static final int SERVER_LOG_BYTES = 1 << 20;

  private final RunOptions options;

  public ScenarioRunner(RunOptions options) {
    this.options = options;
  }

  /**
   * Runs {@code scenario}; the outcome's verdict is the combination of every expected invariant.
   */
  public RunOutcome run(Scenario scenario) {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    Phases phases = new Phases(System::nanoTime);
    Variant variant = options.variant().or(scenario::variant).orElse(Variant.CORRECT);
    PipelineDescription pipeline = pipelineFor(scenario, variant);
    Path runDir = ReportWriter.runDir(options.reportsDir(), scenario.name(), startedAt);
    // absolute: the pipeline processes run in their own working directory
    Path work = runDir.toAbsolutePath().resolve("work");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + work, e);
    }
    List<String> notApplicable =
        new ArrayList<>(Applicability.reasons(scenario, variant, pipeline));
    java.util.Set<Fault.Store> fills = fills(scenario);
    if (!fills.isEmpty() && notApplicable.isEmpty()) {
      StoreMount.whyNot(work)
          .ifPresent(
              why ->
                  notApplicable.add(
                      "disk-full needs a size-limited tmpfs the harness mounts over the "
                          + fills.stream().map(Fault.Store::cliName).toList()
                          + " (as root), and mounting is not permitted here: "
                          + why));
    }
    if (fills.contains(Fault.Store.WAREHOUSE) && notApplicable.isEmpty()) {
      // before the stages' settings name the warehouse file (RunContext.warehouseFile)
      try {
        Files.createDirectories(work.resolve(RunContext.WAREHOUSE_DIR));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot create the warehouse folder in " + work, e);
      }
    }
    if (!notApplicable.isEmpty()) {
      return notApplicable(
          scenario, variant, pipeline, pipeline.name(), notApplicable, startedAt, t0, runDir);
    }
    say(
        "run %s (seed %d, pipeline %s, variant %s%s) -> %s",
        scenario.name(),
        scenario.seed(),
        pipeline.name(),
        variant.cliName(),
        scenario.topology().publishers() == 1
            ? ""
            : ", " + scenario.topology().publishers() + " publishers",
        runDir);
    Infrastructure infra = options.infrastructure().apply(scenario.topology().brokers());
    List<String> notOnInfra =
        Applicability.infrastructureReasons(
            scenario,
            infra.mode().cliName() + " infrastructure",
            infra.serverControl().isPresent(),
            infra.brokers());
    if (!notOnInfra.isEmpty()) {
      return notApplicable(
          scenario,
          variant,
          pipeline,
          infra.mode().cliName() + " infrastructure",
          notOnInfra,
          startedAt,
          t0,
          runDir);
    }
    infra.healAll();
    phases.end("infrastructure");
    History history = new History(() -> System.nanoTime() - t0);
    String safe = ReportWriter.safeName(scenario.name()).toLowerCase(Locale.ROOT).replace('-', '_');
    String database = infra.newDatabase(safe.length() > 40 ? safe.substring(0, 40) : safe);
    String topic = "cdc.orders." + safe + "." + Long.toHexString(System.nanoTime() & 0xffffffL);
    createTopic(infra, scenario, topic);
    DataSource direct = SourceDatabase.dataSource(infra.directJdbcUrl(database));
    try (Connection c = direct.getConnection()) {
      SourceSchema.apply(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot apply the source schema to " + database, e);
    }
    if (pipeline.needs().contains(Need.LOGICAL_REPLICATION)) {
      requireLogicalReplication(direct, infra);
    }

    RunContext ctx =
        new RunContext(
            infra,
            topic,
            database,
            work,
            scenario.seed(),
            history,
            options.progress(),
            "warehouse-" + safe,
            scenario.topology().partitions());
    List<PipelineProcess> publishers = new ArrayList<>();
    PipelineProcess consumer =
        createPipeline(scenario, pipeline, infra, database, topic, safe, variant, work, publishers);
    try {
      pipeline
          .prepare()
          .ifPresent(
              p ->
                  prepare(
                      p,
                      stageSettings(
                          pipeline, scenario, infra, database, topic, safe, variant, work,
                          "prepare", "prepare")));
    } catch (RuntimeException e) {
      dropReplicationSlots(direct);
      throw e;
    }
    List<SourceOp> ops = Workload.generate(scenario.workload(), scenario.seed());
    Deque<PoisonSpec> plannedPoison =
        new ArrayDeque<>(Workload.poison(scenario.workload(), scenario.seed(), ops.size()));
    WorkloadDriver driver =
        new WorkloadDriver(
            history,
            ops,
            scenario.workload().writers(),
            scenario.workload().ratePerSecond(),
            SourceDatabase.dataSource(infra.jdbcUrl(Links.WRITER_TO_POSTGRES, database)),
            scenario.seed(),
            options.progress());
    List<PipelineProcess> writerProcesses = List.of();
    if (scenario.workload().writersIn() == dev.cdcchaos.harness.workload.WritersIn.PROCESSES) {
      WriterProcesses wp =
          new WriterProcesses(
              history,
              Workload.byWriter(ops, scenario.workload().writers()),
              scenario.workload().ratePerSecond(),
              infra.jdbcUrl(Links.WRITER_TO_POSTGRES, database),
              variant,
              work,
              Pipelines.writer());
      driver.inProcesses(wp);
      writerProcesses = wp.processes();
    }
    ctx.secondConsumer(
        () ->
            PipelineProcess.forStage(
                "consumer-2",
                pipeline.consumer(),
                stageSettings(
                    pipeline,
                    scenario,
                    infra,
                    database,
                    topic,
                    safe,
                    variant,
                    work,
                    "consumer",
                    "consumer-2")));
    List<PipelineProcess> processes = new ArrayList<>(publishers);
    processes.add(consumer);
    // the writer processes start with the workload, not with the pipeline
    List<PipelineProcess> supervised = new ArrayList<>(processes);
    supervised.addAll(writerProcesses);
    Supervisor supervisor = new Supervisor(supervised, history, options.progress());
    Timeline timeline = new Timeline(topic, history);
    // a paused or partitioned Postgres must not hold the tick, and with it the heal, for the 30 s
    // socket timeout of the other connections: the probe gives up after a second
    String probeUrl = infra.directJdbcUrl(database);
    ProgressProbe probe =
        new ProgressProbe(
            SourceDatabase.dataSource(
                probeUrl
                    + (probeUrl.contains("?") ? "&" : "?")
                    + "connectTimeout=1&socketTimeout=1"),
            consumer,
            infra.directBootstrap(),
            topic,
            scenario.topology().partitions(),
            pipeline.has(Capability.OUTBOX_MARKS));
    Drained drained;
    List<Observation.KafkaRecord> poisonRecords;
    SnapshotReader reader =
        new SnapshotReader(
            () -> servedReads(consumer),
            topic,
            scenario.reads().every(),
            () -> System.nanoTime() - t0,
            history);
    FaultInjector injector = new FaultInjector(ctx, scenario.faults());

    List<StoreMount> mounts = new ArrayList<>();
    for (Fault.Store store : fills) {
      StoreMount m =
          StoreMount.mount(
              store == Fault.Store.LAKE
                  ? work.resolve("lake")
                  : work.resolve(RunContext.WAREHOUSE_DIR));
      mounts.add(m);
      ctx.mount(store, m);
    }
    try (PoisonProducer poison =
        new PoisonProducer(history, infra.directBootstrap(), topic, scenario.seed())) {
      ctx.attach(publishers, consumer, supervisor, driver, poison);
      ctx.writers(writerProcesses);
      // the schedule's own FaultSpec objects reach the injector: it matches them by identity
      Nemesis nemesis = new Nemesis(scenario.faults(), injector::start, System::nanoTime);
      phases.end("set-up");
      processes.forEach(PipelineProcess::start);
      supervisor.start();
      awaitReady(processes, history);
      phases.end("pipeline start");
      if (pipeline.has(Capability.SNAPSHOT_READS)) {
        requireReads(pipeline, consumer);
      }
      say(
          "workload: %d operations by %d writers%s",
          ops.size(),
          scenario.workload().writers(),
          scenario.workload().ratePerSecond() > 0
              ? " at " + scenario.workload().ratePerSecond() + "/s"
              : "");
      reader.start();
      nemesis.startAroundFirstCommit(driver::start, onPoll -> awaitFirstCommit(driver, onPoll));
      Tick tick = counts -> timeline.record(counts, (System.nanoTime() - t0) / 1_000_000);
      runWorkload(
          scenario, ops.size(), driver, nemesis, probe, poison, plannedPoison, history, tick, t0);
      phases.end("workload");
      drained =
          drain(
              scenario.expect().convergeWithin(),
              nemesis.lastHealNanos(),
              probe,
              driver,
              consumer,
              publishers,
              history,
              tick);
      poisonRecords = poison.injected();
      phases.end("drain");
    } finally {
      reader.close();
      probe.close();
      supervisor.close();
      driver.stop();
      List<PipelineProcess> all = new ArrayList<>(processes);
      all.addAll(ctx.extras());
      stopAll(all);
      mounts.forEach(StoreMount::release);
      infra.healAll();
      // a slot left behind holds the WAL of the shared server for ever
      dropReplicationSlots(direct);
    }
    Optional<Duration> convergeTime = drained.convergeTime();
    phases.end("stop");

    driver
        .failure()
        .ifPresent(
            f -> {
              throw new IllegalStateException("the workload did not run as written: " + f);
            });

    // every process is down now, so the status files the evidence reads are final
    List<FaultEffect> effects = injector.effects(supervisor.deathList());

    // Phase 3: observe and check.
    long[] reads = reader.attempts();
    say(
        "checking invariants (%d snapshots read while the run went, %d of %d reads failed)",
        reader.snapshots().size(), reads[1], reads[0]);
    Observation observation =
        RunObservation.observe(
            new RunObservation.Inputs(
                direct,
                database,
                infra.directBootstrap(),
                topic,
                work,
                timeline.checkpointTrail(),
                history.ops(),
                drained.outcome().quiet(),
                convergeTime,
                scenario.expect().convergeWithin(),
                pipeline.has(Capability.REPLAY),
                options.replayFromKafka(),
                poisonRecords,
                reader.snapshots(),
                ctx.earlierIncarnations()));
    phases.end("observation");
    List<String> names =
        scenario.expect().all()
            ? Checkers.names()
            : scenario.expect().invariants().stream().map(Invariant::cliName).toList();
    Map<String, String> facts = settings(scenario, pipeline, topic, database, work);
    facts.put("infrastructure", infra.describe());
    facts.put(
        "kafka duplicates",
        kafkaDuplicates(infra.directBootstrap(), topic, scenario, pipeline, observation));
    Map<String, String> skipped = Applicability.invariantsNotApplicable(names, pipeline);
    List<String> applicable = names.stream().filter(n -> !skipped.containsKey(n)).toList();
    RunVerdict checked = Checkers.run(observation, applicable);
    List<CheckResult> withSkipped = new ArrayList<>(checked.results());
    skipped.forEach((n, why) -> withSkipped.add(Applicability.notApplicable(n, why)));
    RunVerdict verdict =
        FaultEffects.combine(new RunVerdict(checked.overall(), withSkipped), effects);
    phases.end("checks");
    facts.put(
        "phases",
        phases.millis().entrySet().stream()
            .map(e -> e.getKey() + " " + e.getValue() + " ms")
            .collect(java.util.stream.Collectors.joining(", ")));
    RunReport report =
        new RunReport(
            scenario.name(),
            scenario.description(),
            scenario.seed(),
            variant.cliName(),
            startedAt,
            (System.nanoTime() - t0) / 1_000_000,
            verdict.overall(),
            verdict.results(),
            RunReport.Counts.of(observation),
            FaultTimeline.from(history.ops()),
            timeline.samples(),
            convergeTime.map(Duration::toMillis).orElse(null),
            scenario.expect().convergeWithin().toMillis(),
            facts,
            effects,
            new RunReport.Reads(
                observation.snapshots().size(),
                reads[0],
                reads[1],
                Visibility.of(observation).orElse(null)));
    ReportWriter.write(runDir, report, history.ops());
    ObservationFile.write(runDir, observation);
    if (verdict.overall() == Verdict.INVALID || verdict.overall() == Verdict.UNKNOWN) {
      // the pipeline processes' logs are in work/ already; the servers' go beside them
      if (infra.archiveLogs(runDir.resolve("logs"), SERVER_LOG_BYTES).isEmpty()) {
        say("server logs not archived: the %s servers keep their own", infra.mode().cliName());
      } else {
        say("server logs archived in %s", runDir.resolve("logs"));
      }
    }
    phases.end("report");
    say("verdict: %s  (%s)", verdict.overall().label(), runDir.resolve(ReportWriter.HTML));
    for (var r : verdict.results()) {
      say("  %-18s %-8s %s", r.invariant(), r.verdict().label(), r.summary());
    }
    return new RunOutcome(
        scenario, variant, verdict, report, runDir, pipeline.name(), phases.millis());
  }

  /**
   * The pipeline under test: {@code --pipeline} (or the kit's description), else the file's {@code
   * pipeline}, else the reference; with the scenario's settings over its defaults.
   */
  private PipelineDescription pipelineFor(Scenario scenario, Variant variant) {
    PipelineDescription base =
        options
            .pipeline()
            .orElseGet(
                () ->
                    Pipelines.resolve(scenario.pipeline().underTest().orElse(Pipelines.REFERENCE)));
    Map<String, String> settings = new LinkedHashMap<>(scenario.pipeline().all());
    settings.put("variant", variant.cliName());
    return base.withSettings(settings);
  }

  /**
   * The outcome of a scenario that needs what {@code pipeline} does not declare: nothing is
   * started, the report says why, and the verdict is not-applicable (not a failure, never valid).
   */
  private RunOutcome notApplicable(
      Scenario scenario,
      Variant variant,
      PipelineDescription pipeline,
      String to,
      List<String> reasons,
      Instant startedAt,
      long t0,
      Path runDir) {
    CheckResult result =
        new CheckResult(
            Applicability.CHECK,
            Verdict.NOT_APPLICABLE,
            "not applicable to " + to + ": " + String.join("; ", reasons),
            reasons,
            Map.of());
    RunVerdict verdict = new RunVerdict(Verdict.NOT_APPLICABLE, List.of(result));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("pipeline", pipeline.name());
    settings.put("not applicable", String.join("; ", reasons));
    RunReport report =
        new RunReport(
            scenario.name(),
            scenario.description(),
            scenario.seed(),
            variant.cliName(),
            startedAt,
            (System.nanoTime() - t0) / 1_000_000,
            Verdict.NOT_APPLICABLE,
            verdict.results(),
            RunReport.Counts.of(Observation.builder().build()),
            FaultTimeline.from(List.of()),
            List.of(),
            null,
            scenario.expect().convergeWithin().toMillis(),
            settings,
            List.of(),
            new RunReport.Reads(0, 0, 0, null));
    ReportWriter.write(runDir, report, List.of());
    say(
        "run %s on %s: NOT-APPLICABLE to %s, nothing run (%s)",
        scenario.name(), pipeline.name(), to, runDir.resolve(ReportWriter.HTML));
    reasons.forEach(r -> say("  %s", r));
    return new RunOutcome(scenario, variant, verdict, report, runDir, pipeline.name(), Map.of());
  }

  /**
   * The copies of outbox events in the topic beyond the first, as a read-committed and as a
   * read-uncommitted consumer sees them: what exactly-once delivery into Kafka changes.
   */
  /**
   * Stops the processes side by side: each gets its SIGTERM and its own grace period at once, so
   * the stop takes as long as the slowest (a Kafka Connect worker), not the sum.
   */
  static void stopAll(List<PipelineProcess> processes) {
    List<Thread> stopping = new ArrayList<>();
    for (PipelineProcess p : processes) {
      Thread t = new Thread(p::stop, "stop-" + p.name());
      t.start();
      stopping.add(t);
    }
    for (Thread t : stopping) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        processes.forEach(PipelineProcess::kill);
        return;
      }
    }
  }

  /**
   * The copies beyond the first of each event in the topic, read committed (counted from the
   * observation, which read the topic so) and read uncommitted. The second read is skipped for the
   * reference pipeline, which has no transactional producer: both reads see the same records.
   */
  private static String kafkaDuplicates(
      String bootstrap,
      String topic,
      Scenario scenario,
      PipelineDescription pipeline,
      Observation observation) {
    try {
      KafkaCopies committed = KafkaCopies.of(observation.kafkaRecords());
      KafkaCopies all =
          pipeline.name().equals(dev.cdcchaos.harness.sut.Pipelines.REFERENCE)
              ? committed
              : KafkaCopies.read(bootstrap, topic, scenario.topology().partitions(), false);
      return committed.duplicates()
          + " read committed, "
          + all.duplicates()
          + " read uncommitted"
          + (all == committed ? " (the same: no transactional producer)" : "")
          + " (records beyond the first copy of each of "
          + all.events()
          + " events)";
    } catch (RuntimeException e) {
      return "not measured: " + e.getMessage();
    }
  }

  /**
   * Stops the run as bad input when a pipeline that declares snapshot reads serves none: its
   * consumer's status names no {@code reads} URL, or the URL does not answer a read.
   */
  private static void requireReads(PipelineDescription pipeline, PipelineProcess consumer) {
    if (!consumer.isRunning()) {
      return; // died while starting: the supervisor restarts it, and the reads are judged later
    }
    String url = consumer.status().path("reads").asText("");
    String where =
        "pipeline "
            + pipeline.name()
            + " ("
            + pipeline.source()
            + ") declares snapshot-reads, but its consumer's status ";
    if (url.isEmpty()) {
      throw new dev.cdcchaos.harness.BadInputException(
          where + "names no reads URL (field 'reads', docs/pipeline-contract.md)");
    }
    try {
      new dev.cdcchaos.harness.observe.ServedReads("cdc-chaos-probe").read(url);
    } catch (java.io.IOException | RuntimeException e) {
      throw new dev.cdcchaos.harness.BadInputException(
          where + "names " + url + ", which does not answer a read: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops the run with how to enable logical decoding when the server has none. */
  private static void requireLogicalReplication(DataSource direct, Infrastructure infra) {
    try (Connection c = direct.getConnection();
        java.sql.Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SHOW wal_level")) {
      rs.next();
      String level = rs.getString(1);
      if (!"logical".equals(level)) {
        throw new dev.cdcchaos.harness.BadInputException(
            "Postgres ("
                + infra.describe()
                + ") has wal_level="
                + level
                + ", but the pipeline captures the outbox by logical decoding: start it with -c"
                + " wal_level=logical (or run ALTER SYSTEM SET wal_level = logical and restart it),"
                + " with max_replication_slots and max_wal_senders above 0");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read wal_level: " + e.getMessage(), e);
    }
  }

  /** Drops every replication slot of the run's database (each run makes its own). */
  private static void dropReplicationSlots(DataSource direct) {
    try (Connection c = direct.getConnection();
        java.sql.Statement st = c.createStatement()) {
      for (int attempt = 0; attempt < 20; attempt++) {
        try (java.sql.ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_replication_slots WHERE database = current_database()"
                    + " AND active")) {
          rs.next();
          if (rs.getLong(1) == 0) {
            break;
          }
        }
        sleep(250);
      }
      st.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE database = current_database() AND NOT active");
    } catch (SQLException e) {
      System.err.println(
          "cdc-chaos: could not drop the run's replication slots: " + e.getMessage());
    }
  }

  /** Runs the description's prepare command to its end (two minutes at most). */
  private void prepare(StageCommand command, PipelineProcess.StageFiles files) {
    JavaProcess p =
        JavaProcess.builder("prepare", "prepare")
            .command(command.resolve(files.settings().toString()))
            .env(command.env())
            .env("CDC_CHAOS_SETTINGS", files.settings().toString())
            .logFile(files.log())
            .build();
    p.start();
    java.util.OptionalInt exit = p.awaitExit(Duration.ofMinutes(2));
    if (exit.isEmpty()) {
      p.kill();
      throw new IllegalStateException(
          "the pipeline's prepare command did not end within 2 minutes: " + p.logTail(5));
    }
    if (exit.getAsInt() == 2) {
      throw new dev.cdcchaos.harness.BadInputException(
          "the pipeline's prepare command refused (exit 2): " + p.logTail(5));
    }
    if (exit.getAsInt() != 0) {
      throw new IllegalStateException(
          "the pipeline's prepare command failed (exit " + exit.getAsInt() + "): " + p.logTail(10));
    }
    say("prepared: %s", p.logTail(1).strip());
  }

  /** The consumer's read endpoint, once the running process announced it. */
  private static Optional<String> servedReads(PipelineProcess consumer) {
    if (!consumer.isRunning() || !consumer.reportedSinceStart()) {
      return Optional.empty();
    }
    String url = consumer.status().path("reads").asText("");
    return url.isEmpty() ? Optional.empty() : Optional.of(url);
  }

  /** Called on every tick with the pipeline's progress, to record it. */
  @FunctionalInterface
  private interface Tick {
    void record(ProgressProbe.Counts counts);
  }

  /**
   * How the drain ended, and the time from the last heal to the pipeline going quiet (empty when it
   * stalled or ran out of time).
   */
  private record Drained(Drain.Outcome outcome, Optional<Duration> convergeTime) {}

  private static void createTopic(Infrastructure infra, Scenario scenario, String topic) {
    int rf = Math.min(scenario.topology().replicationFactor(), scenario.topology().brokers());
    infra.createTopic(
        topic,
        scenario.topology().partitions(),
        rf,
        // poison records up to 4 MiB must fit (the consumer dead-letters anything over 1 MiB)
        Map.of("min.insync.replicas", rf >= 3 ? "2" : "1", "max.message.bytes", "4194304"));
  }

  /** The stores whose file system {@code scenario} fills ({@code disk-full} faults). */
  private static java.util.Set<Fault.Store> fills(Scenario scenario) {
    java.util.Set<Fault.Store> stores = java.util.EnumSet.noneOf(Fault.Store.class);
    for (var f : scenario.faults()) {
      if (f.fault() instanceof Fault.DiskFull d) {
        stores.add(d.store());
      }
    }
    return stores;
  }

  /**
   * Creates (does not start) the scenario's publishers, added to {@code publishers}, and returns
   * the consumer: each a stage of {@code pipeline} with its settings file written.
   */
  private static PipelineProcess createPipeline(
      Scenario scenario,
      PipelineDescription pipeline,
      Infrastructure infra,
      String database,
      String topic,
      String safeName,
      Variant variant,
      Path work,
      List<PipelineProcess> publishers) {
    for (int i = 1; i <= scenario.topology().publishers(); i++) {
      String name = publisherName(i);
      PipelineProcess.StageFiles files =
          stageSettings(
              pipeline,
              scenario,
              infra,
              database,
              topic,
              safeName,
              variant,
              work,
              "publisher",
              name);
      publishers.add(PipelineProcess.forStage(name, pipeline.publisher(), files));
    }
    PipelineProcess.StageFiles files =
        stageSettings(
            pipeline,
            scenario,
            infra,
            database,
            topic,
            safeName,
            variant,
            work,
            "consumer",
            "consumer");
    return PipelineProcess.forStage("consumer", pipeline.consumer(), files);
  }

  /**
   * Writes the settings file of stage {@code stage} (process {@code name}) and returns its files:
   * the publisher (and prepare) reach Postgres and Kafka through the {@code publisher->} links, the
   * consumer reaches Kafka through {@code consumer->kafka}.
   */
  private static PipelineProcess.StageFiles stageSettings(
      PipelineDescription pipeline,
      Scenario scenario,
      Infrastructure infra,
      String database,
      String topic,
      String safeName,
      Variant variant,
      Path work,
      String stage,
      String name) {
    PipelineProcess.StageFiles files = PipelineProcess.files(work, name);
    int pgPort = infra.postgresPort(Links.PUBLISHER_TO_POSTGRES);
    new StageSettings(
            StageSettings.CONTRACT,
            safeName + "_" + database.substring(database.lastIndexOf('_') + 1),
            pipeline.name(),
            stage,
            name,
            work.toString(),
            files.status().toString(),
            files.control().toString(),
            new StageSettings.Postgres(
                infra.jdbcUrl(Links.PUBLISHER_TO_POSTGRES, database),
                infra.postgresHost(Links.PUBLISHER_TO_POSTGRES),
                pgPort,
                database,
                infra.postgresUser(),
                infra.postgresPassword()),
            new StageSettings.Kafka(
                infra.bootstrap(
                    stage.equals("consumer") ? Links.CONSUMER_TO_KAFKA : Links.PUBLISHER_TO_KAFKA),
                topic,
                scenario.topology().partitions(),
                scenario.topology().brokers(),
                "warehouse-" + safeName),
            new StageSettings.Warehouse(
                RunContext.warehouseFile(work).toString(), work.resolve("lake").toString()),
            pipeline.settings())
        .save(files.settings());
    return files;
  }

  /**
   * Time triggers other than {@code after: 0s} count from the workload's first commit, not from the
   * moment its writers were started ({@link Nemesis#startAroundFirstCommit}): on a loaded machine
   * the writers took more than 2 s to commit their first operation, so a partition {@code after:
   * 1s} lay over links that carried nothing and the run was UNKNOWN (the fault did not bite).
   * Bounded, so that a workload that cannot commit still runs its faults.
   */
  private static void awaitFirstCommit(WorkloadDriver driver, Runnable onPoll) {
    dev.cdcchaos.harness.infra.Wait.upTo(FIRST_COMMIT_WAIT, Duration.ofMillis(2))
        .until(
            () -> {
              onPoll.run();
              return driver.committed() > 0 || driver.finished();
            });
  }

  private static final Duration FIRST_COMMIT_WAIT = Duration.ofSeconds(30);

  /**
   * Phase 1: the workload runs and the nemesis executes the schedule, until the workload is done
   * and every fault that fired has healed (faults waiting for progress that never comes are given
   * up once the pipeline caught up). Past the run's time budget every fault is healed and the
   * writers are stopped.
   */
  private void runWorkload(
      Scenario scenario,
      int operations,
      WorkloadDriver driver,
      Nemesis nemesis,
      ProgressProbe probe,
      PoisonProducer poison,
      Deque<PoisonSpec> plannedPoison,
      History history,
      Tick tick,
      long t0) {
    long workloadStart = System.nanoTime();
    long expectedWorkloadMs =
        scenario.workload().ratePerSecond() > 0
            ? operations * 1000L / scenario.workload().ratePerSecond()
            : 0;
    long bound = scenario.expect().convergeWithin().toMillis();
    long hardDeadline =
        workloadStart
            + Duration.ofMillis(
                    expectedWorkloadMs * 3
                        + Nemesis.totalDuration(scenario.faults()).toMillis()
                        + bound * 2
                        + 60_000)
                .toNanos();
    long lastSay = 0;
    while (true) {
      long now = System.nanoTime();
      ProgressProbe.Counts counts = probe.sample(driver.committed());
      tick.record(counts);
      while (!plannedPoison.isEmpty() && plannedPoison.peek().afterOps() <= counts.committed()) {
        poison.publish(plannedPoison.poll());
      }
      boolean workloadDone = driver.finished();
      nemesis.tick(counts.triggers(), workloadDone);
      if (workloadDone && !nemesis.anyActive() && !nemesis.timeTriggersLeft()) {
        if (!nemesis.progressTriggersLeft() || probe.caughtUp(counts) || now > hardDeadline) {
          for (FaultSpec never : nemesis.pending()) {
            history.note(
                "nemesis",
                "never-fired",
                Map.of("fault", never.fault().kind(), "at", never.at().toString()));
            say("fault never fired (its trigger was not reached): %s", never);
          }
          return;
        }
      }
      if (now > hardDeadline) {
        say("run exceeded its time budget; healing every fault");
        nemesis.healAll();
        driver.stop();
        return;
      }
      if (now - lastSay > 2_000_000_000L) {
        lastSay = now;
        say(
            "  t=%5.1fs committed %d/%d published %d applied %d dead-lettered %d%s",
            (now - t0) / 1e9,
            counts.committed(),
            operations,
            counts.published(),
            counts.applied(),
            counts.deadLettered(),
            nemesis.anyActive() ? "  faults: " + String.join(",", nemesis.activeKinds()) : "");
      }
      sleep(TICK_MS);
    }
  }

  /** Phase 2: waits for the pipeline to drain within {@code bound} after the last fault healed. */
  private Drained drain(
      Duration bound,
      long lastHealNanos,
      ProgressProbe probe,
      WorkloadDriver driver,
      PipelineProcess consumer,
      List<PipelineProcess> publishers,
      History history,
      Tick tick) {
    say("all faults healed; waiting for the pipeline to drain (bound %ds)", bound.toSeconds());
    Drain drain = new Drain(lastHealNanos, bound, System::nanoTime);
    Drain.Outcome outcome = Drain.Outcome.TIMED_OUT;
    ProgressProbe.Counts counts = null;
    while (!drain.timedOut()) {
      counts = probe.sample(driver.committed());
      tick.record(counts);
      outcome =
          drain.step(
              new Drain.Look(
                  counts,
                  probe.caughtUp(counts),
                  consumer.reportedSinceStart(),
                  consumer.isRunning(),
                  publishers.stream().allMatch(p -> p.isRunning() && p.answeredWithin(ANSWERING)),
                  publishers.stream()
                      .mapToLong(p -> p.startedAt().toEpochMilli())
                      .max()
                      .orElse(0)));
      if (outcome != Drain.Outcome.DRAINING) {
        break;
      }
      sleep(TICK_MS);
    }
    if (outcome == Drain.Outcome.DRAINING) {
      outcome = Drain.Outcome.TIMED_OUT;
    }
    Optional<Duration> convergeTime = Optional.empty();
    switch (outcome) {
      case SETTLED ->
          history.note(
              "harness",
              dev.cdcchaos.harness.check.LivenessChecker.SETTLED,
              Map.of(
                  "note",
                  "no progress for "
                      + Drain.SETTLE.toSeconds()
                      + " s with an empty outbox and the consumer process running, although its"
                      + " checkpoints do not reach the end of the topic"));
      case STALLED -> {
        history.note(
            "harness",
            "stalled",
            Map.of(
                "note",
                "no progress for "
                    + Drain.STALL.toSeconds()
                    + " s although "
                    + counts.backlog()
                    + " outbox rows are unpublished and "
                    + (publishers.size() == 1
                        ? "the publisher is up and answering"
                        : "every publisher is up and answering"),
                "backlog",
                counts.backlog()));
        say("stalled: %d outbox rows the publisher does not send", counts.backlog());
      }
      default -> {}
    }
    if (outcome == Drain.Outcome.DRAINED || outcome == Drain.Outcome.SETTLED) {
      convergeTime = Optional.of(Duration.ofNanos(System.nanoTime() - lastHealNanos));
      say("drained %.1f s after the last fault healed", convergeTime.get().toMillis() / 1000.0);
    } else if (outcome == Drain.Outcome.TIMED_OUT) {
      say("did NOT drain within %d s after the last fault healed", bound.toSeconds());
    }
    return new Drained(outcome, convergeTime);
  }

  /**
   * Waits until every process has reported its status once, so the workload and the time-triggered
   * faults meet a running pipeline rather than JVMs still starting (seconds on a loaded machine).
   * Gives up after {@link #READY_WITHIN} with a note and starts the workload anyway.
   */
  private void awaitReady(List<PipelineProcess> processes, History history) {
    long start = System.nanoTime();
    long deadline = start + READY_WITHIN.toNanos();
    while (!processes.stream().allMatch(PipelineProcess::reportedSinceStart)) {
      for (PipelineProcess p : processes) {
        if (!p.isRunning() && !p.wantedUp() && p.exitCode().orElse(0) == 2) {
          // the supervisor gave up on it: its configuration is bad, and waiting will not help
          throw new dev.cdcchaos.harness.BadInputException(
              "the pipeline's "
                  + p.name()
                  + " stage refused its settings (exit 2): "
                  + p.logTail(3).strip());
        }
      }
      if (System.nanoTime() > deadline) {
        String late =
            processes.stream()
                .filter(p -> !p.reportedSinceStart())
                .map(PipelineProcess::name)
                .collect(Collectors.joining(", "));
        history.note("harness", "not-ready", Map.of("processes", late));
        say(
            "not ready after %d s: %s; starting the workload anyway",
            READY_WITHIN.toSeconds(), late);
        return;
      }
      sleep(TICK_MS);
    }
    say("pipeline ready after %.1f s", (System.nanoTime() - start) / 1e9);
  }

  /**
   * The name of publisher {@code number} (from 1) in fault targets, history and file names: {@code
   * publisher} for the first, as when only one runs, then {@code publisher-2} ..
   */
  static String publisherName(int number) {
    return number == 1 ? "publisher" : "publisher-" + number;
  }

  private static Map<String, String> settings(
      Scenario s, PipelineDescription pipeline, String topic, String database, Path work) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("pipeline", pipeline.name());
    Map<String, String> extra = new LinkedHashMap<>(pipeline.settings());
    extra.keySet().removeAll(List.of("publisher_batch", "consumer_batch", "variant"));
    if (!extra.isEmpty()) {
      m.put("pipeline settings", extra.toString());
    }
    if (!pipeline.lacking().isEmpty()) {
      m.put("capabilities lacking", String.join(", ", pipeline.lacking()));
    }
    m.put(
        "topology",
        s.topology().brokers()
            + " broker(s), "
            + s.topology().partitions()
            + " partitions, RF "
            + s.topology().replicationFactor()
            + (s.topology().publishers() == 1
                ? ""
                : ", " + s.topology().publishers() + " publishers"));
    m.put(
        "workload",
        s.workload().orders()
            + " orders x "
            + (1 + s.workload().updatesPerOrder())
            + " changes, "
            + s.workload().writers()
            + " writers"
            + (s.workload().ratePerSecond() > 0 ? ", " + s.workload().ratePerSecond() + "/s" : ""));
    m.put(
        "edges",
        dev.cdcchaos.harness.workload.Workload.shapes(s.workload(), s.seed()).entrySet().stream()
            .filter(e -> e.getValue() > 0)
            .map(e -> e.getKey() + " " + e.getValue())
            .collect(java.util.stream.Collectors.joining(", ")));
    m.put("reads", "every " + s.reads().every().toMillis() + " ms");
    m.put(
        "batches",
        "publisher "
            + s.pipeline().publisherBatch()
            + ", consumer "
            + s.pipeline().consumerBatch());
    m.put("topic", topic);
    m.put("database", database);
    m.put("work", work.toString());
    return m;
  }

  private void say(String format, Object... args) {
    options.progress().accept(String.format(Locale.ROOT, format, args));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
