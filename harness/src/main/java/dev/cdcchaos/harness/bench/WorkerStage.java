package dev.cdcchaos.harness.bench;

import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.sut.PipelineDescription;
import dev.cdcchaos.harness.sut.Pipelines;
import dev.cdcchaos.harness.sut.StageCommand;
import dev.cdcchaos.harness.sut.StageSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;

/**
 * The Debezium pipeline's publisher stage in the bench: its prepare command (publication and
 * replication slot, before the events are loaded, so the worker decodes them from the WAL) and the
 * Kafka Connect worker as a child JVM, both from the pipeline's description, on direct links as the
 * reference's publisher has. Published is the records in the topic.
 */
final class WorkerStage implements AutoCloseable {
  private final JavaProcess process;
  private final Path status;
  private final Admin admin;
  private final String topic;
  private long startedAt;
  private long readyAt;

  private WorkerStage(JavaProcess process, Path status, Admin admin, String topic) {
    this.process = process;
    this.status = status;
    this.admin = admin;
    this.topic = topic;
  }

  static WorkerStage prepare(
      Bench.Options options,
      LocalInfrastructure infra,
      String database,
      String topic,
      Bench.Progress progress)
      throws Exception {
    PipelineDescription d = Pipelines.debezium();
    Path work = options.workDir();
    Path settings = work.resolve("publisher-settings.json");
    Path status = work.resolve("publisher-status.json");
    Map<String, String> s = new LinkedHashMap<>(d.settings());
    s.put("publisher_batch", Integer.toString(options.publisherBatch()));
    new StageSettings(
            StageSettings.CONTRACT,
            "bench_" + database,
            d.name(),
            "publisher",
            "publisher",
            work.toString(),
            status.toString(),
            work.resolve("publisher-control.json").toString(),
            new StageSettings.Postgres(
                infra.directJdbcUrl(database),
                "127.0.0.1",
                infra.postgres().port(),
                database,
                "postgres",
                ""),
            new StageSettings.Kafka(infra.directBootstrap(), topic, 3, 1, "bench"),
            new StageSettings.Warehouse(
                work.resolve("warehouse.duckdb").toString(), work.resolve("lake").toString()),
            s)
        .save(settings);
    StageCommand prepare = d.prepare().orElseThrow();
    JavaProcess p =
        JavaProcess.builder("prepare", "prepare")
            .command(prepare.resolve(settings.toString()))
            .logFile(work.resolve("prepare.log"))
            .build();
    p.start();
    OptionalInt exit = p.awaitExit(Duration.ofMinutes(2));
    if (exit.isEmpty() || exit.getAsInt() != 0) {
      p.kill();
      throw new IllegalStateException("the Debezium prepare step failed: " + p.logTail(5));
    }
    JavaProcess worker =
        JavaProcess.builder("publisher", "worker")
            .command(fullJit(d.publisher().resolve(settings.toString())))
            .logFile(work.resolve("publisher.log"))
            .build();
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.directBootstrap());
    return new WorkerStage(worker, status, Admin.create(props), topic);
  }

  /**
   * The worker's command without {@code -XX:TieredStopAtLevel=1}: a scenario's worker lives for
   * seconds, where the optimising compiler only costs CPU, but a catch-up of a million events is
   * where a production worker's C2 pays off, and the comparison with the reference (in the bench's
   * own JVM, C2 on) must not handicap Debezium.
   */
  static java.util.List<String> fullJit(java.util.List<String> command) {
    return command.stream().filter(a -> !a.equals("-XX:TieredStopAtLevel=1")).toList();
  }

  void start() {
    startedAt = System.nanoTime();
    process.start();
  }

  /** Seconds from the worker's start until it reported its task running. */
  Double startedSeconds() {
    return readyAt == 0 ? null : Math.round((readyAt - startedAt) / 1e8) / 10.0;
  }

  /** Records in the topic (the worker's acknowledged sends; duplicates would count). */
  long published() {
    if (readyAt == 0 && Files.exists(status)) {
      readyAt = System.nanoTime();
    }
    Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
    for (int p = 0; p < 3; p++) {
      request.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    try {
      return admin.listOffsets(request).all().get(5, TimeUnit.SECONDS).values().stream()
          .mapToLong(i -> i.offset())
          .sum();
    } catch (Exception e) {
      return 0;
    }
  }

  /** Stops the worker and drops its slot (a slot left behind holds WAL). */
  void close(DataSource source) {
    close();
    try (Connection c = source.getConnection();
        Statement st = c.createStatement()) {
      Thread.sleep(500);
      st.execute(
          "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
              + " WHERE database = current_database() AND NOT active");
    } catch (Exception e) {
      System.err.println("bench: could not drop the replication slot: " + e.getMessage());
    }
  }

  @Override
  public void close() {
    process.stop();
    admin.close(Duration.ofSeconds(5));
  }
}
