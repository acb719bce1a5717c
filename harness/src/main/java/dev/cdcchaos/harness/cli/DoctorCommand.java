package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.infra.KafkaCluster;
import dev.cdcchaos.harness.infra.LinkRouter;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.infra.PostgresBinaries;
import dev.cdcchaos.harness.infra.PostgresNode;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.net.ToxiproxyServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Checks that this machine can run the local infrastructure: starts Postgres, Kafka and the
 * Toxiproxy API, checks each one for real (SQL round trip, produce and consume through the proxies,
 * a partition stalls the consumer and healing resumes it), prints versions and start-up times, and
 * stops everything again.
 */
@Command(
    name = "doctor",
    description = {
      "Start Postgres, Kafka and the Toxiproxy API, check each, print versions and start-up times,"
          + " stop everything.",
      "Exit 0 when every check passes, 1 when a check fails, 2 on a missing binary or a busy port."
    })
public final class DoctorCommand implements Callable<Integer> {
  private static final Duration POSTGRES_TARGET = Duration.ofSeconds(2);
  private static final Duration KAFKA_BROKER_TARGET = Duration.ofSeconds(5);

  @Option(
      names = "--brokers",
      defaultValue = "1",
      description = "Kafka nodes to start (default: ${DEFAULT-VALUE})")
  int brokers;

  @Option(
      names = "--dir",
      description = "work directory, kept afterwards (default: a temporary one, deleted)")
  Path dir;

  @Option(
      names = "--postgres-port",
      defaultValue = "0",
      description = "port for Postgres (default: a free one)")
  int postgresPort;

  @Option(
      names = "--pg-bindir",
      description = "directory with initdb and postgres (default: searched)")
  Path pgBinDir;

  @picocli.CommandLine.Mixin InfraOption infra;

  @Spec CommandSpec spec;

  private final List<String> failures = new ArrayList<>();
  private PrintWriter out;

  /**
   * Doctor of servers the harness does not start: connecting checks that each answers, that
   * Postgres answers through its proxies and that the brokers advertise the proxies' addresses;
   * then one SQL round trip through {@code writer->postgres}. The proxies are deleted again.
   */
  private int checkElsewhere() {
    dev.cdcchaos.harness.infra.Infrastructure servers = infra.select().apply(brokers);
    out.printf("  servers      %s%n", servers.describe());
    check(
        "reachable: Postgres, Kafka and Toxiproxy answer; Postgres through "
            + String.join(", ", dev.cdcchaos.harness.infra.Infrastructure.POSTGRES_LINKS)
            + ", the brokers advertise the proxies of "
            + String.join(", ", dev.cdcchaos.harness.infra.Infrastructure.KAFKA_LINKS),
        true,
        "");
    try (Connection c =
            DriverManager.getConnection(servers.jdbcUrl(Links.WRITER_TO_POSTGRES, "postgres"));
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW wal_level")) {
      rs.next();
      String level = rs.getString(1);
      check(
          "Postgres through writer->postgres: wal_level=" + level,
          true,
          "logical".equals(level) ? "" : " (the debezium pipeline needs wal_level=logical)");
    } catch (SQLException e) {
      check("Postgres through writer->postgres", false, ": " + e.getMessage());
    }
    if (servers instanceof dev.cdcchaos.harness.infra.ExternalInfrastructure external) {
      check(
          "Toxiproxy counters (the proof that a network fault took effect)",
          true,
          external.hasCounters()
              ? ""
              : ": none (GET /counters is not served): runs with network faults end UNKNOWN");
    }
    check(
        "process faults (kill, pause, restart of postgres or kafka)",
        true,
        servers.serverControl().isPresent()
            ? ""
            : ": not applicable here, the harness does not own these servers");
    servers.close();
    out.println(failures.isEmpty() ? "all checks passed" : failures.size() + " check(s) failed");
    return failures.isEmpty() ? Main.OK : Main.INVALID;
  }

  @Override
  public Integer call() throws IOException {
    out = spec.commandLine().getOut();
    if (brokers < 1 || brokers > 5) {
      throw new BadInputException("--brokers must be between 1 and 5, got " + brokers);
    }
    out.println("cdc-chaos doctor");
    if (infra.mode() != dev.cdcchaos.harness.infra.Mode.LOCAL) {
      return checkElsewhere();
    }
    out.printf(
        "  java         %s (%s)%n",
        System.getProperty("java.version"), System.getProperty("java.home"));
    PostgresBinaries binaries =
        pgBinDir == null ? PostgresBinaries.find() : PostgresBinaries.find(List.of(pgBinDir));
    out.printf("  postgres     %s (%s)%n", binaries.version(), binaries.binDir());
    out.printf(
        "  kafka        %s (KRaft, %d node(s), from the harness class path)%n",
        KafkaCluster.version(), brokers);
    out.printf("  toxiproxy    API %s (in-JVM)%n", ToxiproxyServer.VERSION);
    out.flush();

    Path work = dir != null ? dir : Files.createTempDirectory("cdc-chaos-doctor-");
    Duration pgStart = null;
    Duration kafkaStart = null;
    ToxiproxyServer toxiproxy = ToxiproxyServer.start();
    Links links = new Links(toxiproxy.host(), toxiproxy.port());
    PostgresNode postgres = null;
    KafkaCluster kafka = null;
    try {
      out.printf("  toxiproxy    API on %s%n", toxiproxy.url());
      postgres = PostgresNode.create(work.resolve("postgres"), binaries, postgresPort);
      PostgresNode pg = postgres;
      pgStart = timed("starting Postgres", () -> pg.start());
      int pgProxy = links.route(Links.WRITER_TO_POSTGRES, "127.0.0.1", postgres.port());
      PostgresNode.StartTimes phases = postgres.lastStartTimes();
      check(
          "Postgres start-up "
              + seconds(pgStart)
              + " s (data directory "
              + seconds(phases.init())
              + " s + server "
              + seconds(phases.server())
              + " s; target <= 2 s)",
          true,
          pgStart.compareTo(POSTGRES_TARGET) <= 0 ? "" : " - slower than the target");
      checkPostgres(postgres, pgProxy);

      kafka =
          KafkaCluster.builder(work.resolve("kafka"))
              .brokers(brokers)
              .clientLinks(LocalInfrastructure.KAFKA_LINKS)
              .router(LinkRouter.through(links))
              .build();
      KafkaCluster k = kafka;
      kafkaStart = timed("starting Kafka (" + brokers + " node(s))", k::start);
      Duration cpu =
          kafka.nodes().stream()
              .map(n -> n.cpuTime().orElse(Duration.ZERO))
              .reduce(Duration.ZERO, Duration::plus);
      check(
          "Kafka start-up "
              + seconds(kafkaStart)
              + " s (broker CPU "
              + seconds(cpu)
              + " s; target for one broker <= 5 s)",
          true,
          brokers > 1 || kafkaStart.compareTo(KAFKA_BROKER_TARGET) <= 0
              ? ""
              : " - slower than the target");
      checkKafka(kafka, links);
    } finally {
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        postgres.stop();
      }
      links.close();
      toxiproxy.close();
      if (dir == null) {
        deleteRecursively(work);
      }
    }
    out.println();
    out.printf(
        "start-up: postgres %s s, kafka (%d node(s)) %s s%s%n",
        seconds(pgStart), brokers, seconds(kafkaStart), machineLoad());
    if (failures.isEmpty()) {
      out.println("doctor: all checks passed; everything it started is stopped again");
      out.flush();
      return Main.OK;
    }
    out.println("doctor: " + failures.size() + " check(s) failed: " + String.join("; ", failures));
    out.flush();
    return Main.INVALID;
  }

  private void checkPostgres(PostgresNode postgres, int proxyPort) {
    postgres.createDatabase("doctor");
    String url = PostgresNode.jdbcUrl("127.0.0.1", proxyPort, "doctor");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE doctor (id int PRIMARY KEY, note text)");
      s.execute("INSERT INTO doctor VALUES (1, 'round trip')");
      try (ResultSet rs = s.executeQuery("SELECT note FROM doctor WHERE id = 1")) {
        boolean ok = rs.next() && "round trip".equals(rs.getString(1));
        check("Postgres SQL round trip through the writer->postgres proxy", ok, "");
      }
    } catch (SQLException e) {
      check(
          "Postgres SQL round trip through the writer->postgres proxy",
          false,
          ": " + e.getMessage());
    }
  }

  private void checkKafka(KafkaCluster kafka, Links links) {
    String topic = "doctor";
    kafka.createTopic(topic, 1, Math.min(3, kafka.nodes().size()), Map.of());
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaProducer<String, String> producer =
            producer(kafka.bootstrapServers(Links.PUBLISHER_TO_KAFKA));
        KafkaConsumer<String, String> consumer =
            consumer(kafka.bootstrapServers(Links.CONSUMER_TO_KAFKA))) {
      consumer.assign(List.of(tp));
      send(producer, topic, 0, 100);
      List<String> got = poll(consumer, 100, Duration.ofSeconds(30));
      check(
          "Kafka produce/consume through the publisher->kafka and consumer->kafka proxies",
          got.equals(values(0, 100)),
          " (" + got.size() + " of 100 records)");

      links.partition(Links.CONSUMER_TO_KAFKA);
      send(producer, topic, 100, 110);
      List<String> during = poll(consumer, 10, Duration.ofSeconds(2));
      check(
          "a partition of consumer->kafka stalls the consumer (producer unaffected)",
          during.isEmpty(),
          " (" + during.size() + " records got through)");

      long t0 = System.nanoTime();
      links.heal(Links.CONSUMER_TO_KAFKA);
      List<String> after = poll(consumer, 10, Duration.ofSeconds(30));
      Duration resumed = Duration.ofNanos(System.nanoTime() - t0);
      check(
          "healing resumes it (" + seconds(resumed) + " s to the stalled records)",
          after.equals(values(100, 110)),
          " (" + after.size() + " of 10 records)");
    } finally {
      links.healAll();
    }
  }

  private void check(String what, boolean ok, String detail) {
    out.printf("  [%s] %s%s%n", ok ? " ok " : "FAIL", what, detail);
    out.flush();
    if (!ok) {
      failures.add(what + detail);
    }
  }

  /**
   * Runs a long step with a progress bar on stderr (a plain line off a terminal) and returns how
   * long it took.
   */
  private static Duration timed(String task, Runnable step) {
    long t0 = System.nanoTime();
    if (!Terminal.interactive()) {
      System.err.println(task + " ...");
      step.run();
      return Duration.ofNanos(System.nanoTime() - t0);
    }
    try (ProgressBar bar =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(-1)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(250)
            .hideEta()
            .clearDisplayOnFinish()
            .setConsumer(new ConsoleProgressBarConsumer(System.err, 70))
            .build()) {
      step.run();
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }

  private static <T> T timed(String task, Supplier<T> step) {
    List<T> result = new ArrayList<>();
    timed(task, () -> result.add(step.get()));
    return result.get(0);
  }

  /** The load average against the core count: start-up times stretch on a busy machine. */
  private static String machineLoad() {
    try {
      String load = Files.readString(Path.of("/proc/loadavg")).split("\\s+")[0];
      return " (load average "
          + load
          + " on "
          + Runtime.getRuntime().availableProcessors()
          + " cores)";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private static String seconds(Duration d) {
    return d == null ? "-" : String.format("%.1f", d.toMillis() / 1000.0);
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  private static KafkaConsumer<String, String> consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    return new KafkaConsumer<>(p);
  }

  private static void send(KafkaProducer<String, String> producer, String topic, int from, int to) {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
    }
    producer.flush();
  }

  private static List<String> poll(
      KafkaConsumer<String, String> consumer, int count, Duration timeout) {
    List<String> got = new ArrayList<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (got.size() < count && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(100))) {
        got.add(r.value());
      }
    }
    return got;
  }

  private static List<String> values(int from, int to) {
    return IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
  }

  private static void deleteRecursively(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // a leftover temp directory is only disk space
    }
  }
}
