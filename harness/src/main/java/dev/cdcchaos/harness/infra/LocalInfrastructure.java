package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.net.ToxiproxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The {@code local} infrastructure: a real Postgres, a KRaft Kafka cluster of 1 or 3 brokers and
 * our Toxiproxy API server, all on loopback, with every client link routed through named proxies:
 * {@code writer->postgres} and {@code publisher->postgres} in front of Postgres, {@code
 * publisher->kafka} and {@code consumer->kafka} in front of every broker. A test partitions one
 * link without touching the others.
 *
 * <p>Tests of one JVM share an instance per broker count ({@link #shared(int)}) and isolate
 * themselves by database ({@link #newDatabase(String)}) and topic.
 */
public final class LocalInfrastructure implements Infrastructure {
  private static final Map<Integer, LocalInfrastructure> SHARED = new HashMap<>();
  private static final String OWNER_FILE = "owner.pid";

  private final Path workDir;
  private final ToxiproxyServer toxiproxy;
  private final Links links;
  private final PostgresNode postgres;
  private final KafkaCluster kafka;
  private final Map<String, Integer> postgresProxyPorts;
  private final AtomicInteger databases = new AtomicInteger();
  private boolean closed;

  private LocalInfrastructure(
      Path workDir,
      ToxiproxyServer toxiproxy,
      Links links,
      PostgresNode postgres,
      KafkaCluster kafka,
      Map<String, Integer> postgresProxyPorts) {
    this.workDir = workDir;
    this.toxiproxy = toxiproxy;
    this.links = links;
    this.postgres = postgres;
    this.kafka = kafka;
    this.postgresProxyPorts = Map.copyOf(postgresProxyPorts);
  }

  /**
   * Starts Postgres, {@code brokers} Kafka nodes and the Toxiproxy API with every link routed,
   * keeping data under {@code workDir}. Postgres and Kafka start in parallel.
   */
  public static LocalInfrastructure start(Path workDir, int brokers) {
    Path dir = workDir.toAbsolutePath();
    ToxiproxyServer toxiproxy = ToxiproxyServer.start();
    Links links = new Links(toxiproxy.host(), toxiproxy.port());
    PostgresNode postgres = null;
    KafkaCluster kafka = null;
    try {
      Files.createDirectories(dir);
      postgres = PostgresNode.create(dir.resolve("postgres"));
      kafka =
          KafkaCluster.builder(dir.resolve("kafka"))
              .brokers(brokers)
              .clientLinks(KAFKA_LINKS)
              .router(LinkRouter.through(links))
              .build();
      PostgresNode pg = postgres;
      CompletableFuture<Void> pgStarted = CompletableFuture.runAsync(pg::start);
      kafka.start();
      pgStarted.join();
      // routed once Postgres runs: its port changes if the picked one was taken meanwhile
      Map<String, Integer> pgPorts = new LinkedHashMap<>();
      for (String link : POSTGRES_LINKS) {
        pgPorts.put(link, links.route(link, "127.0.0.1", postgres.port()));
      }
      return new LocalInfrastructure(dir, toxiproxy, links, postgres, kafka, pgPorts);
    } catch (IOException | RuntimeException e) {
      if (kafka != null) {
        kafka.close();
      }
      if (postgres != null) {
        postgres.kill();
      }
      links.close();
      toxiproxy.close();
      if (e instanceof CompletionException && e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e instanceof RuntimeException re
          ? re
          : new IllegalStateException("cannot start the local infrastructure in " + dir, e);
    }
  }

  /**
   * The instance with {@code brokers} Kafka nodes shared by everything in this JVM, started on
   * first use and closed (its directory deleted) when the JVM exits. Each call heals every link and
   * brings paused or stopped nodes back, so one test's faults do not leak into the next. Isolate
   * tests by database and topic; never close a shared instance.
   */
  public static synchronized LocalInfrastructure shared(int brokers) {
    LocalInfrastructure infra = SHARED.get(brokers);
    if (infra == null) {
      Path root = sharedRoot();
      reapOrphans(root);
      Path dir = root.resolve("shared-" + brokers + "-" + ProcessHandle.current().pid());
      deleteRecursively(dir);
      try {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
      } catch (IOException e) {
        throw new BadInputException("cannot create " + dir + ": " + e.getMessage(), e);
      }
      infra = start(dir, brokers);
      LocalInfrastructure started = infra;
      ChildProcesses.atExit(
          () -> {
            started.close();
            deleteRecursively(dir);
          });
      SHARED.put(brokers, infra);
    } else {
      infra.reset();
    }
    return infra;
  }

  /**
   * Heals every link, resumes or restarts nodes that a test left paused or down, and waits until
   * every broker is registered again (a resumed broker may have been fenced meanwhile).
   */
  public void reset() {
    links.healAll();
    for (Node node : nodes()) {
      node.resume();
      if (!node.isRunning()) {
        node.start();
      }
    }
    kafka.awaitAllBrokers(KafkaNode.START_TIMEOUT);
  }

  @Override
  public Mode mode() {
    return Mode.LOCAL;
  }

  @Override
  public String describe() {
    return "local: Postgres "
        + postgres.version()
        + " on port "
        + postgres.port()
        + ", "
        + kafka.nodes().size()
        + " Kafka broker(s) at "
        + kafka.bootstrapServers()
        + ", Toxiproxy API on "
        + toxiproxy.host()
        + ":"
        + toxiproxy.port()
        + " (under "
        + workDir
        + ")";
  }

  @Override
  public int brokers() {
    return kafka.nodes().size();
  }

  @Override
  public String postgresHost(String link) {
    postgresPort(link); // names the known links when this one is not
    return "127.0.0.1";
  }

  @Override
  public String postgresUser() {
    return PostgresNode.OS_USER;
  }

  @Override
  public String postgresPassword() {
    return "";
  }

  @Override
  public org.apache.kafka.clients.admin.Admin admin() {
    return kafka.admin();
  }

  @Override
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    kafka.createTopic(name, partitions, replicationFactor, configs);
  }

  @Override
  public int leaderOf(String topic, int partition) {
    return kafka.leaderOf(topic, partition);
  }

  /** The local servers are child processes of this JVM: every process fault applies. */
  @Override
  public Optional<ServerControl> serverControl() {
    return Optional.of(
        new ServerControl() {
          @Override
          public Node postgres() {
            return postgres;
          }

          @Override
          public List<? extends Node> brokers() {
            return kafka.nodes();
          }
        });
  }

  public PostgresNode postgres() {
    return postgres;
  }

  public KafkaCluster kafka() {
    return kafka;
  }

  /** The network faults, per link. */
  @Override
  public Links links() {
    return links;
  }

  public ToxiproxyServer toxiproxy() {
    return toxiproxy;
  }

  public Path workDir() {
    return workDir;
  }

  /**
   * A JDBC URL for {@code database} through {@code link}'s proxy (e.g. {@code writer->postgres}).
   */
  @Override
  public String jdbcUrl(String link, String database) {
    Integer port = postgresProxyPorts.get(link);
    if (port == null) {
      throw new BadInputException(
          "no Postgres link '" + link + "'; known links: " + postgresProxyPorts.keySet());
    }
    return PostgresNode.jdbcUrl("127.0.0.1", port, database);
  }

  /** The port of {@code link}'s proxy in front of Postgres (e.g. {@code publisher->postgres}). */
  @Override
  public int postgresPort(String link) {
    Integer port = postgresProxyPorts.get(link);
    if (port == null) {
      throw new BadInputException(
          "no Postgres link '" + link + "'; known links: " + postgresProxyPorts.keySet());
    }
    return port;
  }

  /** Kafka bootstrap servers through {@code link}'s proxies (e.g. {@code consumer->kafka}). */
  @Override
  public String bootstrap(String link) {
    if (!KAFKA_LINKS.contains(link)) {
      throw new BadInputException("no Kafka link '" + link + "'; known links: " + KAFKA_LINKS);
    }
    return kafka.bootstrapServers(link);
  }

  /** A JDBC URL for {@code database} straight to Postgres, for set-up and checks. */
  @Override
  public String directJdbcUrl(String database) {
    return postgres.jdbcUrl(database);
  }

  /** Kafka bootstrap servers straight to the brokers, for set-up and checks. */
  @Override
  public String directBootstrap() {
    return kafka.bootstrapServers();
  }

  /** Creates a fresh database named after {@code prefix} and returns its name. */
  @Override
  public String newDatabase(String prefix) {
    String name = databaseName(prefix, databases.incrementAndGet());
    postgres.createDatabase(name);
    return name;
  }

  /** A valid lower-case database name from any prefix: {@code "No Leak!", 3 -> no_leak_3}. */
  static String databaseName(String prefix, int number) {
    String base =
        prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "_").replaceAll("^_+|_+$", "");
    if (base.isEmpty() || !Character.isLetter(base.charAt(0))) {
      base = "db_" + base;
    }
    if (base.length() > 40) {
      base = base.substring(0, 40);
    }
    return base + "_" + number;
  }

  /** Every node: {@code postgres}, {@code kafka-1}, {@code kafka-2}, ... */
  public List<Node> nodes() {
    List<Node> all = new ArrayList<>();
    all.add(postgres);
    all.addAll(kafka.nodes());
    return all;
  }

  /**
   * Copies the end of each server's log (the last {@code maxBytes} of it: the servers are shared by
   * the runs of one JVM, so the start of a log belongs to earlier runs) into {@code into}, as
   * {@code postgres.log}, {@code kafka-1.log} ...; returns the files written. A log that cannot be
   * read is skipped with a line saying why in the copy.
   */
  @Override
  public List<Path> archiveLogs(Path into, int maxBytes) {
    List<Path> written = new ArrayList<>();
    Map<String, Path> logs = new java.util.LinkedHashMap<>();
    logs.put(postgres.name(), postgres.logFile());
    for (KafkaNode k : kafka.nodes()) {
      logs.put(k.name(), k.logFile());
    }
    try {
      Files.createDirectories(into);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + into, e);
    }
    for (Map.Entry<String, Path> log : logs.entrySet()) {
      Path copy = into.resolve(log.getKey() + ".log");
      try (java.io.RandomAccessFile in =
          new java.io.RandomAccessFile(log.getValue().toFile(), "r")) {
        long from = Math.max(0, in.length() - maxBytes);
        byte[] tail = new byte[(int) (in.length() - from)];
        in.seek(from);
        in.readFully(tail);
        Files.write(copy, tail);
      } catch (IOException e) {
        try {
          Files.writeString(copy, "cannot read " + log.getValue() + ": " + e + "\n");
        } catch (IOException ignored) {
          continue;
        }
      }
      written.add(copy);
    }
    return written;
  }

  /** The node called {@code name} ({@code postgres}, {@code kafka-1}, ...). */
  public Node node(String name) {
    return nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    "no node '"
                        + name
                        + "'; nodes are "
                        + nodes().stream().map(Node::name).toList()));
  }

  /** Stops every node and the proxies; the data stays in {@link #workDir()}. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      links.close();
    } catch (RuntimeException e) {
      // the proxies die with the server below anyway
    }
    kafka.close();
    postgres.stop();
    toxiproxy.close();
  }

  private static Path sharedRoot() {
    String configured = System.getProperty("cdcchaos.infraDir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured).toAbsolutePath();
    }
    if (Files.isDirectory(Path.of("target"))) {
      return Path.of("target", "cdc-chaos-infra").toAbsolutePath();
    }
    return Path.of(System.getProperty("java.io.tmpdir"), "cdc-chaos-infra").toAbsolutePath();
  }

  /**
   * Kills processes left by shared instances of JVMs that died without their shutdown hook (kill
   * -9, a CI timeout) and deletes their directories. A process belongs to such a directory when its
   * command line names it.
   */
  static void reapOrphans(Path root) {
    if (!Files.isDirectory(root)) {
      return;
    }
    try (Stream<Path> dirs = Files.list(root)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Path owner = dir.resolve(OWNER_FILE);
        if (!Files.exists(owner)) {
          continue;
        }
        String pid = Files.readString(owner).strip();
        boolean ownerAlive =
            pid.matches("\\d+")
                && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
        if (ownerAlive) {
          continue;
        }
        String marker = dir.toString();
        ProcessHandle.allProcesses()
            .filter(h -> ChildProcesses.commandLine(h).contains(marker))
            .forEach(ChildProcesses::killTree);
        deleteRecursively(dir);
      }
    } catch (IOException e) {
      // best effort: a leftover directory is only disk space
    }
  }

  static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort
    }
  }
}
