package dev.cdcchaos.harness.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.sut.Pipelines;
import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.PipelineMain;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.publisher.PublisherService;
import dev.cdcchaos.pipeline.source.OutboxBulkLoader;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import javax.sql.DataSource;

/**
 * The pipeline benchmark, on fresh local infrastructure: (1) catch-up, N events bulk-loaded into
 * the outbox and drained through publisher and consumer into DuckDB + the lake; (2) lag, events
 * committed at a steady rate and timed from commit until their row is visible in {@code wh_orders}.
 * Publisher and consumer run in this JVM on their own threads with their production settings.
 */
public final class Bench {

  /** What to measure. */
  public record Options(
      long events,
      long ratePerSecond,
      Duration lagDuration,
      int publisherBatch,
      int consumerBatch,
      int publishers,
      Path workDir,
      Duration readsEvery,
      String pipeline) {

    /** The reference pipeline's bench (the figures the README's goals are about). */
    public Options(
        long events,
        long ratePerSecond,
        Duration lagDuration,
        int publisherBatch,
        int consumerBatch,
        int publishers,
        Path workDir,
        Duration readsEvery) {
      this(
          events,
          ratePerSecond,
          lagDuration,
          publisherBatch,
          consumerBatch,
          publishers,
          workDir,
          readsEvery,
          Pipelines.REFERENCE);
    }

    /** Whether the publisher is Debezium's worker (else the reference's polling publisher). */
    public boolean debezium() {
      return Pipelines.DEBEZIUM.equals(pipeline);
    }

    /** Whether an analyst's reads of the serving warehouse run beside the pipeline. */
    public boolean reads() {
      return readsEvery != null && !readsEvery.isZero();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long the catch-up may go without applying anything before the bench gives up. */
  private static final Duration STALL = Duration.ofSeconds(120);

  /** Told how far a phase is, a few times a second. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (phase, done, total) -> {};

    void update(String phase, long done, long total);
  }

  private final Options options;
  private final Progress progress;
  private final Map<String, Object> result = new LinkedHashMap<>();

  public Bench(Options options) {
    this(options, Progress.NONE);
  }

  public Bench(Options options, Progress progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs both phases and returns the figures, in the order they are printed. */
  public Map<String, Object> run() throws Exception {
    Files.createDirectories(options.workDir());
    long started = System.nanoTime();
    try (LocalInfrastructure infra =
        LocalInfrastructure.start(options.workDir().resolve("infra"), 1)) {
      result.put("infra_start_s", seconds(System.nanoTime() - started));
      String db = infra.newDatabase("bench");
      String topic = "bench.orders";
      infra.kafka().createTopic(topic, 3, 1, Map.of());
      DataSource source = SourceDatabase.dataSource(infra.directJdbcUrl(db));
      SourceSchema.apply(source);
      Path warehouse = options.workDir().resolve("warehouse.duckdb");
      Path status = options.workDir().resolve("consumer-status.json");
      result.put("pipeline", options.pipeline());
      result.put("postgres_settings", durability(source));
      WorkerStage worker =
          options.debezium() ? WorkerStage.prepare(options, infra, db, topic, progress) : null;
      PipelineConfig cfg =
          new PipelineConfig(
              infra.directJdbcUrl(db),
              infra.directBootstrap(),
              topic,
              "bench",
              warehouse.toString(),
              options.workDir().resolve("lake").toString(),
              options.publisherBatch(),
              options.consumerBatch(),
              20,
              null,
              null,
              status.toString(),
              0);

      long orders = Math.max(1, options.events() / 5);
      long loadStart = System.nanoTime();
      Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
      try (Connection c = source.getConnection()) {
        OutboxBulkLoader.copyEvents(c, BenchEvents.range(0, options.events(), orders, at));
        OutboxBulkLoader.copyOrders(
            c,
            LongStream.range(Math.max(0, options.events() - orders), options.events())
                .mapToObj(i -> BenchEvents.event(i, orders, at).state())
                .iterator(),
            at);
        c.createStatement().execute("VACUUM ANALYZE outbox_events");
      }
      result.put("load_s", seconds(System.nanoTime() - loadStart));

      ConsumerService consumer =
          new ConsumerService(
              PipelineMain.consumerSettings(cfg), CrashPoints.NONE, Clock.systemUTC());
      Thread consumerThread = new Thread(consumer::run, "bench-consumer");
      List<PublisherService> publishers = new ArrayList<>();
      List<Thread> publisherThreads = new ArrayList<>();
      for (int i = 0; i < (worker == null ? options.publishers() : 0); i++) {
        // a status file of their own: the consumer's is where the bench reads progress from
        PublisherService p =
            new PublisherService(
                cfg.withFiles(
                    null, options.workDir().resolve("publisher-" + i + "-status.json").toString()),
                Control.none(),
                Clock.systemUTC());
        publishers.add(p);
        publisherThreads.add(
            new Thread(
                () -> {
                  try {
                    p.run();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                },
                "bench-publisher-" + i));
      }
      Reads reads = options.reads() ? new Reads(status, topic, options.readsEvery()) : null;
      try {
        CpuUse cpuAtStart = CpuUse.now();
        long catchupStart = System.nanoTime();
        if (reads != null) {
          reads.start();
        }
        publisherThreads.forEach(Thread::start);
        if (worker != null) {
          worker.start();
        }
        consumerThread.start();
        long publishedAt = 0;
        long appliedSoFar;
        long lastApplied = -1;
        long lastMove = System.nanoTime();
        long halfAt = 0;
        long halfApplied = 0;
        long firstAppliedAt = 0;
        // [seconds since start, published, applied] once a second: the ramp-up, drawn by people
        List<List<Number>> timeline = new ArrayList<>();
        long nextSample = catchupStart;
        while ((appliedSoFar = applied(status)) < options.events()) {
          long now = System.nanoTime();
          if (now >= nextSample) {
            timeline.add(
                List.of(
                    Math.round((now - catchupStart) / 1e8) / 10.0,
                    published(publishers, worker),
                    appliedSoFar));
            nextSample += 1_000_000_000L;
          }
          if (firstAppliedAt == 0 && appliedSoFar > 0) {
            firstAppliedAt = now;
          }
          if (halfAt == 0 && appliedSoFar >= options.events() / 2) {
            halfAt = System.nanoTime();
            halfApplied = appliedSoFar;
          }
          progress.update("catch-up", appliedSoFar, options.events());
          if (appliedSoFar != lastApplied) {
            lastApplied = appliedSoFar;
            lastMove = System.nanoTime();
          } else if (System.nanoTime() - lastMove > STALL.toNanos()) {
            throw new IllegalStateException(
                "catch-up stalled: "
                    + appliedSoFar
                    + " of "
                    + options.events()
                    + " events applied, none for "
                    + STALL.toSeconds()
                    + " s (published: "
                    + published(publishers, worker)
                    + ")");
          }
          if (publishedAt == 0 && published(publishers, worker) >= options.events()) {
            publishedAt = System.nanoTime();
          }
          Thread.sleep(50);
        }
        long catchupEnd = System.nanoTime();
        long catchup = catchupEnd - catchupStart;
        progress.update("catch-up", options.events(), options.events());
        Map<String, Double> cpu = CpuUse.now().since(cpuAtStart);
        if (publishedAt == 0) {
          publishedAt = System.nanoTime();
        }
        result.put("catchup_events", options.events());
        result.put("catchup_s", seconds(catchup));
        result.put("catchup_events_per_s", Math.round(options.events() / (catchup / 1e9)));
        if (halfAt != 0 && catchupEnd > halfAt) {
          // the second half: the JVMs have compiled their hot code by then (steady state)
          result.put(
              "catchup_second_half_events_per_s",
              Math.round((options.events() - halfApplied) / ((catchupEnd - halfAt) / 1e9)));
        }
        if (firstAppliedAt != 0) {
          result.put("catchup_first_applied_s", seconds(firstAppliedAt - catchupStart));
        }
        result.put("catchup_timeline", timeline);
        result.put(
            "catchup_publish_events_per_s",
            Math.round(options.events() / ((publishedAt - catchupStart) / 1e9)));
        Map<String, Long> stages = new LinkedHashMap<>();
        for (PublisherService p : publishers) {
          p.publisher()
              .stageMillis()
              .forEach(
                  (stage, ms) ->
                      stages.merge(stage.name().toLowerCase(java.util.Locale.ROOT), ms, Long::sum));
        }
        result.put("publishers", worker == null ? options.publishers() : 1);
        if (worker != null) {
          result.put("catchup_worker_started_s", worker.startedSeconds());
        }
        result.put("catchup_publisher_ms_by_stage", stages);
        result.put("catchup_consumer_ms_by_phase", consumer.phaseMillis());
        result.put("catchup_cpu_s_by_process", cpu);
        result.put(
            "catchup_cpu_us_per_event",
            Math.round(cpu.get("total") * 1e6 / options.events() * 10) / 10.0);

        lag(source, warehouse, orders, result);
        if (reads != null) {
          reads.close();
          reads.report(result);
        }
      } finally {
        if (reads != null) {
          reads.close();
        }
        for (PublisherService p : publishers) {
          p.stop(Duration.ofSeconds(30));
        }
        consumer.stop();
        consumer.awaitStopped(Duration.ofSeconds(30));
        publishers.forEach(PublisherService::close);
        if (worker != null) {
          worker.close(source);
        }
      }
    }
    result.put("total_s", seconds(System.nanoTime() - started));
    return result;
  }

  /**
   * Commits new orders at the steady rate in small COPY transactions every 10 ms and polls
   * wh_orders (through the consumer's own DuckDB instance) for them every 10 ms.
   */
  private void lag(DataSource source, Path warehouse, long firstId, Map<String, Object> out)
      throws Exception {
    long total = options.ratePerSecond() * options.lagDuration().toSeconds();
    long[] committedAt = new long[(int) total];
    long[] visibleAt = new long[(int) total];
    long base = firstId + 1_000_000_000L;
    AtomicBoolean writing = new AtomicBoolean(true);
    long[] written = {0};
    long[] writerNanos = {0};
    Thread writer =
        new Thread(
            () -> {
              try (Connection c = source.getConnection()) {
                long start = System.nanoTime();
                while (written[0] < total) {
                  long due =
                      Math.min(
                          total,
                          (System.nanoTime() - start) * options.ratePerSecond() / 1_000_000_000L);
                  if (due > written[0]) {
                    long from = written[0];
                    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
                    List<OrderEvent> batch = new ArrayList<>();
                    for (long i = from; i < due; i++) {
                      batch.add(create(base + i, now));
                    }
                    OutboxBulkLoader.copyEvents(c, batch.iterator());
                    long t = System.nanoTime();
                    for (long i = from; i < due; i++) {
                      committedAt[(int) i] = t;
                    }
                    written[0] = due;
                  }
                  Thread.sleep(10);
                }
                writerNanos[0] = System.nanoTime() - start;
              } catch (Exception e) {
                throw new IllegalStateException("lag writer failed", e);
              } finally {
                writing.set(false);
              }
            },
            "bench-writer");
    writer.start();
    long seen = 0;
    long deadline = System.nanoTime() + options.lagDuration().plusSeconds(60).toNanos();
    try (Connection wh = DriverManager.getConnection("jdbc:duckdb:" + warehouse.toAbsolutePath());
        PreparedStatement q =
            wh.prepareStatement(
                "SELECT order_id FROM wh_orders WHERE order_id >= ? AND order_id < ?")) {
      long lowest = 0;
      while (seen < total && System.nanoTime() < deadline) {
        progress.update("lag", seen, total);
        q.setLong(1, base + lowest);
        q.setLong(2, base + total);
        long now;
        try (ResultSet rs = q.executeQuery()) {
          now = System.nanoTime();
          while (rs.next()) {
            int i = (int) (rs.getLong(1) - base);
            if (visibleAt[i] == 0) {
              visibleAt[i] = now;
              seen++;
            }
          }
        }
        while (lowest < total && visibleAt[(int) lowest] != 0) {
          lowest++;
        }
        Thread.sleep(10);
      }
    }
    writer.join();
    progress.update("lag", seen, total);
    long[] lags = new long[(int) seen];
    int k = 0;
    for (int i = 0; i < total; i++) {
      if (visibleAt[i] != 0) {
        lags[k++] = Math.max(0, visibleAt[i] - committedAt[i]);
      }
    }
    Arrays.sort(lags);
    out.put("lag_rate_per_s", options.ratePerSecond());
    out.put("lag_events", total);
    out.put("lag_events_seen", seen);
    out.put("lag_achieved_rate_per_s", Math.round(total / Math.max(1e-9, writerNanos[0] / 1e9)));
    out.put("lag_p50_ms", percentileMs(lags, 0.50));
    out.put("lag_p99_ms", percentileMs(lags, 0.99));
    out.put("lag_max_ms", lags.length == 0 ? null : lags[lags.length - 1] / 1_000_000);
  }

  private static OrderEvent create(long orderId, Instant at) {
    return new OrderEvent(
        UUID.randomUUID().toString(),
        orderId + ":1",
        orderId,
        EventType.ORDER_CREATED,
        1,
        1,
        at,
        new OrderRow(orderId, orderId % 997, "NEW", 100, "EUR", 1, false),
        Map.of());
  }

  /**
   * CPU time used so far by this JVM (publisher and consumer threads, DuckDB) and by each server
   * process it started, by kind: what a run cost, less at the mercy of a busy machine than wall
   * time.
   */
  private record CpuUse(long jvmNanos, Map<Long, Long> childNanos, Map<Long, String> kinds) {
    static CpuUse now() {
      long jvm =
          ((com.sun.management.OperatingSystemMXBean)
                  java.lang.management.ManagementFactory.getOperatingSystemMXBean())
              .getProcessCpuTime();
      Map<Long, Long> nanos = new LinkedHashMap<>();
      Map<Long, String> kinds = new LinkedHashMap<>();
      ProcessHandle.current()
          .descendants()
          .forEach(
              h -> {
                java.util.Optional<Duration> used = h.info().totalCpuDuration();
                String command = h.info().command().orElse("");
                if (used.isPresent()) {
                  nanos.put(h.pid(), used.get().toNanos());
                  kinds.put(
                      h.pid(),
                      command.contains("postgres")
                          ? "postgres"
                          : dev.cdcchaos.harness.infra.ChildProcesses.commandLine(h)
                                  .contains("WorkerMain")
                              ? "connect_worker"
                              : command.endsWith("java") ? "kafka" : "other");
                }
              });
      return new CpuUse(jvm, nanos, kinds);
    }

    /**
     * Seconds used since {@code start}, by kind, and in total. A process started in between counts
     * whole; one that ended in between is missed (short-lived Postgres backends only).
     */
    Map<String, Double> since(CpuUse start) {
      Map<String, Double> out = new LinkedHashMap<>();
      out.put("bench_jvm", (jvmNanos - start.jvmNanos) / 1e9);
      childNanos.forEach(
          (pid, ns) ->
              out.merge(
                  kinds.get(pid),
                  (ns - start.childNanos.getOrDefault(pid, 0L)) / 1e9,
                  Double::sum));
      double total = out.values().stream().mapToDouble(Double::doubleValue).sum();
      out.replaceAll((k, v) -> Math.round(v * 10) / 10.0);
      out.put("total", Math.round(total * 10) / 10.0);
      return out;
    }
  }

  /**
   * An analyst's dashboard beside the pipeline: the harness's snapshot read (the three serving
   * tables in one read transaction, through the consumer's read endpoint) every {@code every}, for
   * as long as the bench runs, so the cost of serving reads shows in the figures.
   */
  private static final class Reads implements AutoCloseable {
    private final Path status;
    private final Duration every;
    private final dev.cdcchaos.harness.observe.ServedReads served;
    private final List<Long> nanos = new ArrayList<>();
    private final Thread thread;
    private volatile boolean stop;
    private long failed;
    private long lastRows;

    Reads(Path status, String topic, Duration every) {
      this.status = status;
      this.every = every;
      this.served = new dev.cdcchaos.harness.observe.ServedReads(topic);
      this.thread = new Thread(this::loop, "bench-reads");
      this.thread.setDaemon(true);
    }

    void start() {
      thread.start();
    }

    private void loop() {
      while (!stop) {
        long t0 = System.nanoTime();
        try {
          String url = JSON.readTree(status.toFile()).path("reads").asText("");
          if (url.isEmpty()) {
            failed++;
          } else {
            var read = served.read(url);
            synchronized (nanos) {
              nanos.add(System.nanoTime() - t0);
              lastRows = read.orders().size();
            }
          }
        } catch (java.io.IOException | RuntimeException e) {
          failed++;
        } catch (InterruptedException e) {
          return;
        }
        long sleep = every.toNanos() - (System.nanoTime() - t0);
        if (sleep > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(sleep);
        }
      }
    }

    void report(Map<String, Object> out) {
      long[] sorted;
      synchronized (nanos) {
        sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
      }
      out.put("reads_every_ms", every.toMillis());
      out.put("reads_done", sorted.length);
      out.put("reads_failed", failed);
      out.put("read_ms_p50", percentileMs(sorted, 0.50));
      out.put("read_ms_p99", percentileMs(sorted, 0.99));
      out.put("read_rows_last", lastRows);
    }

    @Override
    public void close() {
      stop = true;
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static Long percentileMs(long[] sorted, double p) {
    if (sorted.length == 0) {
      return null;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1_000_000;
  }

  private static long published(List<PublisherService> publishers, WorkerStage worker) {
    if (worker != null) {
      return worker.published();
    }
    return publishers.stream().mapToLong(p -> p.publisher().published()).sum();
  }

  private static long applied(Path status) {
    try {
      if (!Files.exists(status)) {
        return 0;
      }
      JsonNode node = JSON.readTree(Files.readAllBytes(status));
      return node.path("applied").asLong();
    } catch (Exception e) {
      return 0;
    }
  }

  private static double seconds(long nanos) {
    return Math.round(nanos / 1e7) / 100.0;
  }

  /**
   * The durability settings the server really runs with, read back from it rather than assumed: a
   * throughput figure means little without them.
   */
  private static Map<String, String> durability(DataSource source) throws java.sql.SQLException {
    Map<String, String> settings = new LinkedHashMap<>();
    try (java.sql.Connection c = source.getConnection();
        java.sql.Statement st = c.createStatement()) {
      for (String name : List.of("fsync", "full_page_writes", "synchronous_commit", "wal_level")) {
        try (java.sql.ResultSet rs = st.executeQuery("SHOW " + name)) {
          rs.next();
          settings.put(name, rs.getString(1));
        }
      }
    }
    return settings;
  }
}
