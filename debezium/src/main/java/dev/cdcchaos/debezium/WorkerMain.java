package dev.cdcchaos.debezium;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.cli.ConnectDistributed;
import org.apache.kafka.connect.runtime.Connect;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;

/**
 * The Debezium pipeline's publisher stage: a distributed Kafka Connect worker (connect-runtime of
 * the broker's version) running Debezium's Postgres connector on {@code outbox_events} through
 * pgoutput, with the outbox event router turning each row into the envelope of {@code
 * docs/envelope.md} (key = order id, value = the {@code payload} column, the run's topic).
 *
 * <p>{@code prepare --settings FILE} checks logical replication and creates the run's publication
 * and replication slot, so nothing committed before the worker streams is missed; exit 2 with how
 * to enable it when Postgres has no logical decoding. {@code worker --settings FILE} runs the
 * worker until SIGTERM, registers the connector (idempotently: its config, offsets and status live
 * in topics on the harness's Kafka) and writes the stage status file every 500 ms once its task
 * runs.
 */
public final class WorkerMain {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONNECTOR = "outbox";

  private WorkerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 3 || !args[1].equals("--settings")) {
      System.err.println("usage: WorkerMain prepare|worker --settings FILE");
      System.exit(2);
    }
    StageSettings s;
    try {
      s = StageSettings.load(Path.of(args[2]));
    } catch (IllegalArgumentException e) {
      System.err.println("debezium: " + e.getMessage());
      System.exit(2);
      return;
    }
    switch (args[0]) {
      case "prepare" -> System.exit(prepare(s));
      case "worker" -> worker(s);
      default -> {
        System.err.println("debezium: unknown mode '" + args[0] + "', expected prepare or worker");
        System.exit(2);
      }
    }
  }

  /** Creates the publication and the slot; 2 when Postgres cannot decode logically. */
  static int prepare(StageSettings s) throws SQLException {
    try (Connection c = connect(s)) {
      String walLevel = single(c, "SHOW wal_level");
      if (!"logical".equals(walLevel)) {
        System.err.println(
            "debezium: Postgres at "
                + s.pgHost()
                + ":"
                + s.pgPort()
                + " has wal_level="
                + walLevel
                + "; Debezium needs logical decoding: start the server with -c wal_level=logical"
                + " (or ALTER SYSTEM SET wal_level = logical; then restart it), with"
                + " max_replication_slots and max_wal_senders above 0");
        return 2;
      }
      try (Statement st = c.createStatement()) {
        if (!exists(c, "SELECT 1 FROM pg_publication WHERE pubname = ?", s.slot())) {
          st.execute("CREATE PUBLICATION " + s.slot() + " FOR TABLE outbox_events");
        }
        if (!exists(c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", s.slot())) {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
            ps.setString(1, s.slot());
            ps.execute();
          }
        }
      }
    }
    System.err.println("debezium: publication and slot " + s.slot() + " ready");
    return 0;
  }

  static void worker(StageSettings s) throws Exception {
    Map<String, String> props = workerProperties(s);
    Connect<DistributedHerder> connect = new ConnectDistributed().startConnect(props);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  connect.stop();
                  System.err.println("stopped gracefully");
                  System.err.flush();
                  Runtime.getRuntime().halt(0);
                },
                "graceful-stop"));
    DistributedHerder herder = connect.herder();
    requireValid(herder, connectorConfig(s));
    CompletableFuture<Object> put = new CompletableFuture<>();
    herder.putConnectorConfig(
        CONNECTOR,
        connectorConfig(s),
        true,
        (error, created) -> {
          if (error != null) {
            put.completeExceptionally(error);
          } else {
            put.complete(created);
          }
        });
    try {
      put.get(120, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("debezium: the connector config was not accepted: " + e);
      e.printStackTrace();
      // a bad connector config will not get better by restarting
      Runtime.getRuntime().halt(2);
    }
    KnownBad knownBad = KnownBad.of(s);
    long runningSince = 0;
    long failedSince = 0;
    while (true) {
      ConnectorStateInfo info = null;
      try {
        info = herder.connectorStatus(CONNECTOR);
      } catch (RuntimeException e) {
        // not known yet to this worker (still reading the config topic)
      }
      String task = info == null || info.tasks().isEmpty() ? "NONE" : info.tasks().get(0).state();
      if ("RUNNING".equals(task) && runningSince == 0) {
        runningSince = System.nanoTime();
      }
      if (runningSince != 0) {
        writeStatus(s, info, task);
        knownBad.tick(s, herder, runningSince);
      }
      if ("FAILED".equals(task)) {
        failedSince = failedSince == 0 ? System.nanoTime() : failedSince;
        if (System.nanoTime() - failedSince >= TASK_RESTART_AFTER.toNanos()) {
          restartFailedTask(herder, info);
          failedSince = 0;
        }
      } else {
        failedSince = 0;
      }
      Thread.sleep(500);
    }
  }

  /**
   * How long a FAILED task stays failed before this worker restarts it. Kafka Connect never
   * restarts a task that threw during its start (e.g. Debezium's "Failed to create TypeRegistry"
   * when its Postgres connection is cut while the task starts after a rebalance): it stays FAILED
   * "until manually restarted", and the pipeline stalls for good. Deployments restart such tasks
   * (Strimzi's {@code autoRestart}, an operator on the REST API); this worker does it as they
   * would, and says so on stderr.
   */
  static final java.time.Duration TASK_RESTART_AFTER = java.time.Duration.ofSeconds(2);

  private static void restartFailedTask(DistributedHerder herder, ConnectorStateInfo info) {
    String trace = info == null || info.tasks().isEmpty() ? null : info.tasks().get(0).trace();
    String first = trace == null ? "no trace" : trace.lines().findFirst().orElse("");
    System.err.println("debezium: task 0 FAILED (" + first + "); restarting it");
    herder.restartTask(
        new org.apache.kafka.connect.util.ConnectorTaskId(CONNECTOR, 0),
        (error, ignored) -> {
          if (error != null) {
            System.err.println("debezium: the restart of task 0 failed: " + error);
          }
        });
  }

  /**
   * Validates the connector config first and names every error: Connect 4.1.1's own put reports a
   * config error as a NullPointerException (AbstractHerder.maybeAddConfigErrors reads the value of
   * keys that have none).
   */
  private static void requireValid(DistributedHerder herder, Map<String, String> config)
      throws Exception {
    CompletableFuture<org.apache.kafka.connect.runtime.rest.entities.ConfigInfos> validated =
        new CompletableFuture<>();
    herder.validateConnectorConfig(
        config,
        (error, infos) -> {
          if (error != null) {
            validated.completeExceptionally(error);
          } else {
            validated.complete(infos);
          }
        });
    var infos = validated.get(120, TimeUnit.SECONDS);
    if (infos.errorCount() == 0) {
      return;
    }
    StringBuilder why = new StringBuilder();
    for (var info : infos.values()) {
      if (info.configValue() != null && !info.configValue().errors().isEmpty()) {
        why.append("\n  ")
            .append(info.configValue().name())
            .append(": ")
            .append(info.configValue().errors());
      }
    }
    System.err.println("debezium: the connector config is invalid:" + why);
    Runtime.getRuntime().halt(2);
  }

  private static void writeStatus(StageSettings s, ConnectorStateInfo info, String task)
      throws IOException {
    ObjectNode st = JSON.createObjectNode();
    st.put("updatedAt", Instant.now().toString());
    st.put("connector", info == null ? "NONE" : info.connector().state());
    st.put("task", task);
    if (info != null && !info.tasks().isEmpty() && info.tasks().get(0).trace() != null) {
      String trace = info.tasks().get(0).trace();
      st.put("error", trace.length() > 2000 ? trace.substring(0, 2000) : trace);
    }
    st.put("slot", s.slot());
    Path file = Path.of(s.statusFile());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, JSON.writeValueAsBytes(st));
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  static Map<String, String> workerProperties(StageSettings s) throws IOException {
    boolean eos = Boolean.parseBoolean(s.setting("exactly_once", "false"));
    Map<String, String> p = new LinkedHashMap<>();
    p.put("bootstrap.servers", s.bootstrap());
    p.put("group.id", "connect-" + s.slot());
    p.put("config.storage.topic", "connect-configs-" + s.slot());
    p.put("offset.storage.topic", "connect-offsets-" + s.slot());
    p.put("status.storage.topic", "connect-status-" + s.slot());
    // -1: the broker's default.replication.factor, which the harness sets to its broker count
    p.put("config.storage.replication.factor", "-1");
    p.put("offset.storage.replication.factor", "-1");
    p.put("status.storage.replication.factor", "-1");
    p.put("offset.storage.partitions", "1");
    p.put("status.storage.partitions", "1");
    p.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
    p.put("value.converter", "org.apache.kafka.connect.storage.StringConverter");
    p.put("offset.flush.interval.ms", s.setting("offset_flush_ms", "10000"));
    // the source producer batches as the reference publisher's does (Publisher.producerProperties):
    // Connect's defaults (no linger, no compression) cost the broker four times the CPU per event
    p.put("producer.linger.ms", "5");
    p.put("producer.batch.size", Integer.toString(256 * 1024));
    p.put("producer.compression.type", "lz4");
    p.put("listeners", "http://127.0.0.1:" + freePort());
    // a worker killed and started again takes its task back at once, not after 5 minutes
    p.put("scheduled.rebalance.max.delay.ms", "0");
    p.put("session.timeout.ms", "6000");
    p.put("heartbeat.interval.ms", "2000");
    // the connector, the outbox router and the converters are found through their jars'
    // ServiceLoader manifests: scanning every class on the class path (only_scan) took 3.7 s of
    // each worker's start, the ServiceLoader 0.6 s (issue 13)
    p.put("plugin.discovery", "service_load");
    p.put("task.shutdown.graceful.timeout.ms", "5000");
    if (eos) {
      p.put("exactly.once.source.support", "enabled");
    }
    return p;
  }

  static Map<String, String> connectorConfig(StageSettings s) {
    boolean eos = Boolean.parseBoolean(s.setting("exactly_once", "false"));
    Map<String, String> c = new LinkedHashMap<>();
    c.put("name", CONNECTOR);
    c.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
    c.put("tasks.max", "1");
    c.put("plugin.name", "pgoutput");
    c.put("database.hostname", s.pgHost());
    c.put("database.port", Integer.toString(s.pgPort()));
    c.put("database.user", s.user());
    c.put("database.password", s.password());
    c.put("database.dbname", s.database());
    c.put("topic.prefix", s.slot());
    c.put("slot.name", s.slot());
    c.put("publication.name", s.slot());
    c.put("publication.autocreate.mode", "disabled");
    c.put("table.include.list", "public.outbox_events");
    c.put("snapshot.mode", "no_data");
    c.put("tombstones.on.delete", "false");
    c.put("max.batch.size", s.setting("publisher_batch", "2048"));
    c.put("max.queue.size", Integer.toString(4 * Integer.parseInt(c.get("max.batch.size"))));
    c.put("poll.interval.ms", "50");
    c.put("status.update.interval.ms", "1000");
    c.put("errors.max.retries", "-1");
    c.put("errors.retry.delay.initial.ms", "300");
    c.put("errors.retry.delay.max.ms", "2000");
    // after a retriable failure (its replication connection cut) the connector restarts itself
    // after this wait, 10 s by default: as long as the harness's stall bound, so a cut Postgres
    // link read as a stall (network-resets-and-truncation on a busy machine); retried as fast as
    // the rest here
    c.put("retriable.restart.connector.wait.ms", "2000");
    c.put("transforms", "outbox");
    c.put("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
    c.put("transforms.outbox.table.field.event.id", "event_id");
    c.put("transforms.outbox.table.field.event.key", "aggregate_id");
    c.put("transforms.outbox.table.field.event.payload", "payload");
    c.put("transforms.outbox.route.by.field", "event_type");
    c.put("transforms.outbox.route.topic.replacement", s.topic());
    c.put(
        "transforms.outbox.table.fields.additional.placement",
        "event_id:header:event-id,event_type:header:event-type,aggregate_version:header:version,"
            + "schema_version:header:schema-version");
    c.put("transforms.outbox.table.expand.json.payload", "false");
    if (eos) {
      c.put("exactly.once.support", "required");
      c.put("transaction.boundary", "poll");
    }
    return c;
  }

  static Connection connect(StageSettings s) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", s.user());
    p.setProperty("password", s.password());
    p.setProperty("connectTimeout", "10");
    return DriverManager.getConnection(s.jdbcUrl(), p);
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  static boolean exists(Connection c, String sql, String arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
