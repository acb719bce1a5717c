package dev.cdcchaos.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.report.FaultTimeline;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.scenario.Invariant;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.workload.PoisonSpec;
import dev.cdcchaos.harness.workload.SourceOp;
import dev.cdcchaos.harness.workload.Workload;
import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
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
  private static final Duration SETTLE = Duration.ofSeconds(10);

  /** How long the publisher and consumer may take to start before the workload starts anyway. */
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);

  /**
   * How long the publisher may sit, up and answering, on outbox rows it does not send before the
   * run counts as stalled: those rows will never arrive (e.g. a cursor that skipped them).
   */
  private static final Duration STALL = Duration.ofSeconds(10);

  /** A process whose status is older than this is not answering (failing or still starting). */
  private static final Duration ANSWERING = Duration.ofSeconds(3);

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
    Variant variant = options.variant().or(scenario::variant).orElse(Variant.CORRECT);
    Path runDir = ReportWriter.runDir(options.reportsDir(), scenario.name(), startedAt);
    // absolute: the pipeline processes run in their own working directory
    Path work = runDir.toAbsolutePath().resolve("work");
    try {
      Files.createDirectories(work);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + work, e);
    }
    say(
        "run %s (seed %d, variant %s%s) -> %s",
        scenario.name(),
        scenario.seed(),
        variant.cliName(),
        scenario.topology().publishers() == 1
            ? ""
            : ", " + scenario.topology().publishers() + " publishers",
        runDir);
    LocalInfrastructure infra = options.infrastructure().apply(scenario.topology().brokers());
    healEverything(infra);
    History history = new History(() -> System.nanoTime() - t0);
    String safe = ReportWriter.safeName(scenario.name()).toLowerCase(Locale.ROOT).replace('-', '_');
    String database = infra.newDatabase(safe.length() > 40 ? safe.substring(0, 40) : safe);
    String topic = "cdc.orders." + safe + "." + Long.toHexString(System.nanoTime() & 0xffffffL);
    int rf = Math.min(scenario.topology().replicationFactor(), scenario.topology().brokers());
    infra
        .kafka()
        .createTopic(
            topic,
            scenario.topology().partitions(),
            rf,
            // poison records up to 4 MiB must fit (the consumer dead-letters anything over 1 MiB)
            Map.of("min.insync.replicas", rf >= 3 ? "2" : "1", "max.message.bytes", "4194304"));
    DataSource direct = SourceDatabase.dataSource(infra.directJdbcUrl(database));
    try (Connection c = direct.getConnection()) {
      SourceSchema.apply(c);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot apply the source schema to " + database, e);
    }

    RunContext ctx =
        new RunContext(infra, topic, database, work, scenario.seed(), history, options.progress());
    PipelineConfig base =
        new PipelineConfig(
            infra.jdbcUrl(Links.PUBLISHER_TO_POSTGRES, database),
            infra.bootstrap(Links.PUBLISHER_TO_KAFKA),
            topic,
            "warehouse-" + safe,
            work.resolve("warehouse.duckdb").toString(),
            work.resolve("lake").toString(),
            scenario.pipeline().publisherBatch(),
            scenario.pipeline().consumerBatch(),
            20,
            variant.cliName(),
            null,
            null,
            0);
    List<PipelineProcess> publishers = new ArrayList<>();
    for (int i = 1; i <= scenario.topology().publishers(); i++) {
      publishers.add(PipelineProcess.create("publisher", publisherName(i), base, work));
    }
    PipelineProcess consumer =
        PipelineProcess.create(
            "consumer",
            new PipelineConfig(
                base.jdbcUrl(),
                infra.bootstrap(Links.CONSUMER_TO_KAFKA),
                base.topic(),
                base.consumerGroup(),
                base.warehousePath(),
                base.lakePath(),
                base.publisherBatchSize(),
                base.consumerBatchSize(),
                base.pollIntervalMs(),
                base.variant(),
                null,
                null,
                0),
            work);
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
    List<PipelineProcess> pipeline = new ArrayList<>(publishers);
    pipeline.add(consumer);
    Supervisor supervisor = new Supervisor(pipeline, history, options.progress());
    List<RunReport.Sample> samples = new ArrayList<>();
    List<Checkpoint> trail = new ArrayList<>();
    Progress progress =
        new Progress(
            direct, consumer, infra.directBootstrap(), topic, scenario.topology().partitions());
    boolean drained = false;
    boolean stalled = false;
    Optional<Duration> convergeTime = Optional.empty();
    long lastHealNanos;
    List<Observation.KafkaRecord> poisonRecords = List.of();
    FaultInjector injector = new FaultInjector(ctx, scenario.faults());

    try (PoisonProducer poison =
        new PoisonProducer(history, infra.directBootstrap(), topic, scenario.seed())) {
      ctx.attach(publishers, consumer, supervisor, driver, poison);
      pipeline.forEach(PipelineProcess::start);
      supervisor.start();
      awaitReady(pipeline, history);
      say(
          "workload: %d operations by %d writers%s",
          ops.size(),
          scenario.workload().writers(),
          scenario.workload().ratePerSecond() > 0
              ? " at " + scenario.workload().ratePerSecond() + "/s"
              : "");
      driver.start();
      long workloadStart = System.nanoTime();

      List<FaultSpec> pending = new ArrayList<>(scenario.faults());
      List<Active> active = new ArrayList<>();
      long expectedWorkloadMs =
          scenario.workload().ratePerSecond() > 0
              ? ops.size() * 1000L / scenario.workload().ratePerSecond()
              : 0;
      long faultMs =
          scenario.faults().stream()
              .mapToLong(f -> f.duration().map(Duration::toMillis).orElse(0L))
              .sum();
      long bound = scenario.expect().convergeWithin().toMillis();
      long hardDeadline =
          workloadStart
              + Duration.ofMillis(expectedWorkloadMs * 3 + faultMs + bound * 2 + 60_000).toNanos();
      lastHealNanos = System.nanoTime();
      long lastSay = 0;

      // Phase 1: workload and faults, until the workload is done and every fault that fired has
      // healed.
      while (true) {
        long now = System.nanoTime();
        long sinceStart = (now - workloadStart) / 1_000_000;
        Progress.Counts counts = progress.sample(driver.committed());
        sample(samples, trail, counts, (now - t0) / 1_000_000, topic, history);
        while (!plannedPoison.isEmpty() && plannedPoison.peek().afterOps() <= counts.committed()) {
          poison.publish(plannedPoison.poll());
        }
        for (Iterator<FaultSpec> it = pending.iterator(); it.hasNext(); ) {
          FaultSpec spec = it.next();
          if (fires(spec.at(), sinceStart, counts)) {
            it.remove();
            long started = (System.nanoTime() - t0) / 1_000_000;
            FaultInjector.Heal heal = injector.start(spec);
            long endAt =
                spec.duration()
                    .map(d -> System.nanoTime() + d.toNanos())
                    .orElse(
                        spec.fault().healing() == Fault.Healing.WINDOW
                            ? Long.MAX_VALUE
                            : System.nanoTime());
            active.add(new Active(spec, heal, endAt, started));
          }
        }
        boolean workloadDone = driver.finished();
        for (Iterator<Active> it = active.iterator(); it.hasNext(); ) {
          Active a = it.next();
          if (System.nanoTime() >= a.endAt || (workloadDone && a.endAt == Long.MAX_VALUE)) {
            it.remove();
            a.heal.heal();
            lastHealNanos = System.nanoTime();
          }
        }
        if (workloadDone && active.isEmpty()) {
          boolean progressTriggersLeft =
              pending.stream().anyMatch(f -> f.at() instanceof Trigger.Progress);
          boolean timeTriggersLeft =
              pending.stream().anyMatch(f -> f.at() instanceof Trigger.After);
          if (!timeTriggersLeft
              && (!progressTriggersLeft || progress.caughtUp(counts) || now > hardDeadline)) {
            for (FaultSpec never : pending) {
              history.note(
                  "nemesis",
                  "never-fired",
                  Map.of("fault", never.fault().kind(), "at", never.at().toString()));
              say("fault never fired (its trigger was not reached): %s", never);
            }
            break;
          }
        }
        if (now > hardDeadline) {
          say("run exceeded its time budget; healing every fault");
          for (Active a : active) {
            a.heal.heal();
          }
          active.clear();
          driver.stop();
          break;
        }
        if (now - lastSay > 2_000_000_000L) {
          lastSay = now;
          say(
              "  t=%5.1fs committed %d/%d published %d applied %d dead-lettered %d%s",
              (now - t0) / 1e9,
              counts.committed(),
              ops.size(),
              counts.published(),
              counts.applied(),
              counts.deadLettered(),
              active.isEmpty()
                  ? ""
                  : "  faults: "
                      + active.stream()
                          .map(a -> a.spec.fault().kind())
                          .collect(Collectors.joining(",")));
        }
        sleep(TICK_MS);
      }

      // Phase 2: drain within the bound.
      say("all faults healed; waiting for the pipeline to drain (bound %ds)", bound / 1000);
      long drainDeadline = lastHealNanos + Duration.ofMillis(bound).toNanos();
      Progress.Counts last = null;
      long lastChange = System.nanoTime();
      while (System.nanoTime() < drainDeadline) {
        Progress.Counts counts = progress.sample(driver.committed());
        sample(samples, trail, counts, (System.nanoTime() - t0) / 1_000_000, topic, history);
        if (progress.caughtUp(counts)) {
          drained = true;
          break;
        }
        if (last == null || !counts.sameProgress(last) || !consumer.reportedSinceStart()) {
          // a consumer that is still starting (e.g. after a crash) has not had its chance yet
          last = counts;
          lastChange = System.nanoTime();
        } else if (counts.backlog() == 0
            && System.nanoTime() - lastChange > SETTLE.toNanos()
            && consumer.isRunning()) {
          history.note(
              "harness",
              "settled",
              Map.of(
                  "note",
                  "no progress for "
                      + SETTLE.toSeconds()
                      + " s with an empty outbox, although the consumer checkpoints do not cover the topic"));
          drained = true;
          break;
        } else if (counts.backlog() > 0
            && System.nanoTime() - lastChange > STALL.toNanos()
            && consumer.isRunning()
            && publishers.stream().allMatch(p -> p.isRunning() && p.answeredWithin(ANSWERING))) {
          history.note(
              "harness",
              "stalled",
              Map.of(
                  "note",
                  "no progress for "
                      + STALL.toSeconds()
                      + " s although "
                      + counts.backlog()
                      + " outbox rows are unpublished and "
                      + (publishers.size() == 1
                          ? "the publisher is up and answering"
                          : "every publisher is up and answering"),
                  "backlog",
                  counts.backlog()));
          say("stalled: %d outbox rows the publisher does not send", counts.backlog());
          drained = true;
          stalled = true;
          break;
        }
        sleep(TICK_MS);
      }
      if (drained && !stalled) {
        convergeTime = Optional.of(Duration.ofNanos(System.nanoTime() - lastHealNanos));
        say("drained %.1f s after the last fault healed", convergeTime.get().toMillis() / 1000.0);
      } else if (!drained) {
        say("did NOT drain within %d s after the last fault healed", bound / 1000);
      }
      poisonRecords = poison.injected();
    } finally {
      progress.close();
      supervisor.close();
      driver.stop();
      pipeline.forEach(PipelineProcess::stop);
      healEverything(infra);
    }

    driver
        .failure()
        .ifPresent(
            f -> {
              throw new IllegalStateException("the workload did not run as written: " + f);
            });

    // every process is down now, so the status files the evidence reads are final
    List<FaultEffect> effects = injector.effects(supervisor.deathList());

    // Phase 3: observe and check.
    say("checking invariants");
    Observation.Builder obs = Observation.builder();
    try {
      Observer.Source source = Observer.source(direct);
      obs.outbox(source.outbox())
          .sourceOrders(source.orders())
          .markedPublished(source.markedPublished());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the source database " + database, e);
    }
    Observer.Topic records = Observer.topic(infra.directBootstrap(), topic);
    Observer.Warehouse wh = Observer.warehouse(work.resolve("warehouse.duckdb"));
    Path lakeRoot = work.resolve("lake");
    obs.kafkaRecords(records.records())
        .partitionEnds(records.ends())
        .warehouseOrders(wh.byOrder())
        .warehouseRows(wh.rows())
        .customerTotals(wh.totals())
        .ledger(wh.ledger())
        .deadLetters(wh.deadLetters())
        .checkpoints(wh.checkpoints())
        .checkpointTrail(trail)
        .lake(Observer.lake(lakeRoot))
        .replayFromLake(Observer.replayFromLake(lakeRoot, work.resolve("replay-lake.duckdb")))
        .history(history.ops())
        .drained(drained)
        .convergeBound(scenario.expect().convergeWithin());
    convergeTime.ifPresent(obs::convergeTime);
    if (options.replayFromKafka()) {
      obs.replayFromKafka(
          Observer.replayFromKafka(
              infra.directBootstrap(), topic, work.resolve("replay-kafka.duckdb")));
    }
    obs.injectedPoison(poisonRecords);
    Observation observation = obs.build();
    List<String> names =
        scenario.expect().all()
            ? Checkers.names()
            : scenario.expect().invariants().stream().map(Invariant::cliName).toList();
    RunVerdict verdict = FaultEffects.combine(Checkers.run(observation, names), effects);
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
            samples,
            convergeTime.map(Duration::toMillis).orElse(null),
            scenario.expect().convergeWithin().toMillis(),
            settings(scenario, topic, database, work),
            effects);
    ReportWriter.write(runDir, report, history.ops());
    say("verdict: %s  (%s)", verdict.overall(), runDir.resolve(ReportWriter.HTML));
    for (var r : verdict.results()) {
      say("  %-18s %-8s %s", r.invariant(), r.verdict(), r.summary());
    }
    return new RunOutcome(scenario, variant, verdict, report, runDir);
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

  /** A fault that started and has not healed yet. */
  private record Active(FaultSpec spec, FaultInjector.Heal heal, long endAt, long startedMs) {}

  private static boolean fires(Trigger at, long sinceStartMs, Progress.Counts counts) {
    if (at instanceof Trigger.After after) {
      return sinceStartMs >= after.offset().toMillis();
    }
    Trigger.Progress p = (Trigger.Progress) at;
    long value =
        switch (p.counter()) {
          case EVENTS_COMMITTED -> counts.committed();
          case EVENTS_PUBLISHED -> counts.published();
          case EVENTS_APPLIED -> counts.applied();
        };
    return value >= p.count();
  }

  private static void sample(
      List<RunReport.Sample> samples,
      List<Checkpoint> trail,
      Progress.Counts c,
      long tMs,
      String topic,
      History history) {
    RunReport.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    if (last == null || last.published() != c.published()) {
      history.note("publisher", "publish", Map.of("total", c.published(), "backlog", c.backlog()));
    }
    if (last == null || last.applied() != c.applied()) {
      history.note(
          "consumer",
          "apply",
          Map.of(
              "total",
              c.applied(),
              "deadLettered",
              c.deadLettered(),
              "checkpoints",
              c.checkpoints()));
    }
    long lag = 0;
    if (c.applied() < c.committed()) {
      // the oldest unapplied event was committed just after the last sample whose committed count
      // <= applied
      long since = tMs;
      for (int i = samples.size() - 1; i >= 0; i--) {
        if (samples.get(i).committed() <= c.applied()) {
          break;
        }
        since = samples.get(i).tMs();
      }
      lag = tMs - since;
    }
    samples.add(new RunReport.Sample(tMs, c.committed(), c.published(), c.applied(), lag));
    for (Map.Entry<Integer, Long> e : c.checkpoints().entrySet()) {
      Checkpoint cp = new Checkpoint(topic, e.getKey(), e.getValue());
      Checkpoint previous = null;
      for (int i = trail.size() - 1; i >= 0; i--) {
        if (trail.get(i).partition() == cp.partition()) {
          previous = trail.get(i);
          break;
        }
      }
      if (previous == null || previous.nextOffset() != cp.nextOffset()) {
        trail.add(cp);
      }
    }
  }

  /**
   * Heals every link and brings every infrastructure node back up, so the next run starts clean.
   */
  private static void healEverything(LocalInfrastructure infra) {
    infra.links().healAll();
    List<String> names = new ArrayList<>();
    names.add("postgres");
    for (int i = 1; i <= infra.kafka().nodes().size(); i++) {
      names.add("kafka-" + i);
    }
    for (String name : names) {
      Node node = infra.node(name);
      node.resume();
      if (!node.isRunning()) {
        node.start();
      }
    }
  }

  private static Map<String, String> settings(
      Scenario s, String topic, String database, Path work) {
    Map<String, String> m = new LinkedHashMap<>();
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

  /**
   * Reads the pipeline's progress: committed from the driver, published from Postgres, applied from
   * the consumer.
   */
  static final class Progress implements AutoCloseable {
    private final DataSource source;
    private final PipelineProcess consumer;
    private final org.apache.kafka.clients.admin.Admin admin;
    private final String topic;
    private final int partitions;
    private long published;
    private long backlog = -1;

    Progress(
        DataSource source,
        PipelineProcess consumer,
        String bootstrap,
        String topic,
        int partitions) {
      this.source = source;
      this.consumer = consumer;
      this.topic = topic;
      this.partitions = partitions;
      java.util.Properties p = new java.util.Properties();
      p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      p.put(
          org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
      p.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
      this.admin = org.apache.kafka.clients.admin.Admin.create(p);
    }

    @Override
    public void close() {
      admin.close(Duration.ofSeconds(5));
    }

    /** The end offset of every partition, or empty when Kafka does not answer now. */
    Optional<Map<Integer, Long>> endOffsets() {
      Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec>
          request = new LinkedHashMap<>();
      for (int p = 0; p < partitions; p++) {
        request.put(
            new org.apache.kafka.common.TopicPartition(topic, p),
            org.apache.kafka.clients.admin.OffsetSpec.latest());
      }
      try {
        Map<Integer, Long> ends = new TreeMap<>();
        admin
            .listOffsets(request)
            .all()
            .get(10, java.util.concurrent.TimeUnit.SECONDS)
            .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        return Optional.of(ends);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        return Optional.empty();
      }
    }

    record Counts(
        long committed,
        long published,
        long backlog,
        long applied,
        long deadLettered,
        Map<Integer, Long> checkpoints) {
      boolean sameProgress(Counts o) {
        return applied == o.applied
            && deadLettered == o.deadLettered
            && checkpoints.equals(o.checkpoints)
            && published == o.published;
      }
    }

    Counts sample(long committed) {
      try (Connection c = source.getConnection();
          Statement st = c.createStatement();
          ResultSet rs =
              st.executeQuery(
                  "SELECT count(*) FILTER (WHERE published_at IS NOT NULL), count(*) FILTER (WHERE published_at IS NULL) FROM outbox_events")) {
        rs.next();
        published = rs.getLong(1);
        backlog = rs.getLong(2);
      } catch (SQLException e) {
        // Postgres down or partitioned: keep the last values
      }
      JsonNode status = consumer.status();
      Map<Integer, Long> checkpoints = new TreeMap<>();
      status
          .path("checkpoints")
          .fields()
          .forEachRemaining(
              e -> {
                try {
                  checkpoints.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
                } catch (NumberFormatException ignored) {
                  checkpoints.put(-1, e.getValue().asLong());
                }
              });
      return new Counts(
          committed,
          published,
          backlog,
          status.path("applied").asLong(0),
          status.path("deadLettered").asLong(0),
          checkpoints);
    }

    /**
     * Whether the outbox is empty and the consumer's checkpoints reached the end of every
     * partition.
     */
    boolean caughtUp(Counts c) {
      // a consumer restarted since its last status (e.g. by a redeliver, which rewinds the
      // checkpoints first) still shows its old checkpoints: they may be at the ends already
      if (!consumer.reportedSinceStart()) {
        return false;
      }
      if (c.backlog() != 0 || c.checkpoints().isEmpty()) {
        return false;
      }
      Optional<Map<Integer, Long>> ends = endOffsets();
      if (ends.isEmpty()) {
        return false;
      }
      for (Map.Entry<Integer, Long> end : ends.get().entrySet()) {
        if (c.checkpoints().getOrDefault(end.getKey(), 0L) < end.getValue()) {
          return false;
        }
      }
      return true;
    }
  }
}
