package dev.cdcchaos.harness.infra;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.net.Links;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.toxiproxy.ToxiproxyContainer;

/**
 * The {@code containers} infrastructure: Testcontainers starts Postgres, a KRaft Kafka cluster of 1
 * or 3 brokers and Toxiproxy on one Docker network, and every client link goes through a Toxiproxy
 * proxy as in local mode, driven by the same {@link Links} (toxiproxy-java) code: the proxies
 * listen inside the Toxiproxy container on its published ports 8666..8697 and reach the servers by
 * their network aliases ({@code postgres:5432}, {@code kafka-2:9094} ...). Set-up and checks use
 * proxies of their own ({@code direct->postgres}, {@code direct->kafka}) that no fault touches, so
 * the host-side addresses stay the same when a server container is restarted (its own published
 * ports would change).
 *
 * <p>{@code kill} is SIGKILL of the container, {@code pause} is {@code docker pause}, and a restart
 * starts the same container again with its data (in the container's own file system) kept.
 *
 * <p>Every container and the network carry the label {@value #OWNER_LABEL} with this JVM's pid:
 * they are removed by {@link #close()}, by a shutdown hook, and, when a JVM died without its hook
 * (kill -9), by the next start's reaper. That is what Ryuk would do, which needs an image
 * (testcontainers/ryuk) that may not be pullable, so run with {@code
 * TESTCONTAINERS_RYUK_DISABLED=true} where it is not.
 */
public final class ContainersInfrastructure implements Infrastructure {
  /** The label naming the JVM that owns a container or network. */
  public static final String OWNER_LABEL = "dev.cdcchaos.owner-pid";

  static final String DIRECT_POSTGRES = "direct->postgres";
  static final String DIRECT_KAFKA = "direct->kafka";
  static final String POSTGRES_ALIAS = "postgres";
  static final String USER = "postgres";
  static final String PASSWORD = "postgres";
  static final int POSTGRES_PORT = 5432;
  static final int INTERNAL_PORT = 9092;
  static final int CONTROLLER_PORT = 9093;
  static final int FIRST_CLIENT_PORT = 9094;
  static final int FIRST_PROXY_PORT = 8666;
  static final int LAST_PROXY_PORT = 8697;
  static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private static final Map<Integer, ContainersInfrastructure> SHARED = new HashMap<>();

  private final Builder parts;
  private final ContainerImages images;
  private final DockerVersion engine;
  private final Network network;
  private final ToxiproxyContainer toxiproxy;
  private final Links links;
  private final Links directLinks;
  private final ContainerNode postgres;
  private final List<ContainerNode> brokers;
  private final Map<String, Integer> postgresPorts;
  private final int directPostgresPort;
  private final Map<String, String> bootstraps;
  private final String directBootstrap;
  private final String host;
  private final AtomicInteger databases = new AtomicInteger();
  private Admin admin;
  private boolean closed;

  private ContainersInfrastructure(Builder b) {
    this.parts = b;
    this.images = b.images;
    this.engine = b.engine;
    this.network = b.network;
    this.toxiproxy = b.toxiproxy;
    this.links = b.links;
    this.directLinks = b.directLinks;
    this.postgres = b.postgres;
    this.brokers = List.copyOf(b.brokers);
    this.postgresPorts = Map.copyOf(b.postgresPorts);
    this.directPostgresPort = b.directPostgresPort;
    this.bootstraps = Map.copyOf(b.bootstraps);
    this.directBootstrap = b.directBootstrap;
    this.host = b.host;
  }

  /**
   * The engine to run on, or a {@link BadInputException} with one line saying why there is none and
   * how to get one. Pins docker-java's API version to an engine older than Testcontainers asks for.
   */
  public static DockerVersion requireEngine() {
    Infrastructures.requireDocker(); // one line saying why there is none and how to get one
    StringBuilder why = new StringBuilder();
    DockerVersion engine =
        DockerVersion.probe(why).orElseGet(() -> new DockerVersion("unknown", "unknown"));
    String host = System.getenv("DOCKER_HOST");
    boolean localSocket = host == null || host.isBlank() || host.startsWith("unix://");
    String override = System.getenv("TESTCONTAINERS_HOST_OVERRIDE");
    if (localSocket
        && (override == null || override.isBlank())
        && Files.exists(Path.of("/.dockerenv"))) {
      // Testcontainers would run alpine to find the gateway, which needs a registry, and waits 2
      // minutes before it fails
      throw new BadInputException(
          "--infra containers: this JVM runs inside a container, so Testcontainers cannot tell"
              + " where published ports are; set TESTCONTAINERS_HOST_OVERRIDE=localhost when"
              + " dockerd runs in this container too, else to the engine host's address");
    }
    return engine;
  }

  /**
   * The instance with {@code brokers} Kafka brokers shared by everything in this JVM, with the
   * {@linkplain ContainerImages#configured() configured images}; started on first use and removed
   * when the JVM exits. Each later call heals every link and brings paused or stopped containers
   * back.
   */
  public static synchronized ContainersInfrastructure shared(int brokers) {
    ContainersInfrastructure infra = SHARED.get(brokers);
    if (infra == null) {
      infra = start(brokers, ContainerImages.configured());
      SHARED.put(brokers, infra);
    } else {
      infra.healAll();
      infra.awaitAllBrokers(START_TIMEOUT);
    }
    return infra;
  }

  /**
   * Starts Toxiproxy, then Postgres and {@code brokers} Kafka nodes in parallel, routes every link
   * and waits until every broker is registered. Whatever started is removed again if a later step
   * fails, and by a shutdown hook if the JVM exits before {@link #close()}.
   */
  public static ContainersInfrastructure start(int brokers, ContainerImages images) {
    if (brokers < 1 || brokers > 9) {
      throw new BadInputException("--infra containers runs 1 to 9 Kafka brokers, not " + brokers);
    }
    DockerVersion engine = requireEngine();
    reapOrphans();
    Builder b = new Builder(images, engine);
    ChildProcesses.atExit(b::closeAll); // also on failure below and on Ctrl-C
    try {
      b.start(brokers);
      ContainersInfrastructure infra = new ContainersInfrastructure(b);
      infra.awaitAllBrokers(START_TIMEOUT);
      return infra;
    } catch (RuntimeException e) {
      b.closeAll();
      throw e;
    }
  }

  /** Everything that is started, in order, so that a failure can undo it. */
  private static final class Builder {
    final ContainerImages images;
    final DockerVersion engine;
    final String owner = Long.toString(ProcessHandle.current().pid());
    Network network;
    ToxiproxyContainer toxiproxy;
    Links links;
    Links directLinks;
    ContainerNode postgres;
    final List<ContainerNode> brokers = new ArrayList<>();
    final Map<String, Integer> postgresPorts = new LinkedHashMap<>();
    int directPostgresPort;
    final Map<String, String> bootstraps = new LinkedHashMap<>();
    String directBootstrap;
    String host;
    int nextProxyPort = FIRST_PROXY_PORT;
    boolean closed;

    Builder(ContainerImages images, DockerVersion engine) {
      this.images = images;
      this.engine = engine;
    }

    int nextProxyPort() {
      if (nextProxyPort > LAST_PROXY_PORT) {
        throw new BadInputException(
            "--infra containers: more proxies than Toxiproxy's published ports "
                + FIRST_PROXY_PORT
                + ".."
                + LAST_PROXY_PORT);
      }
      return nextProxyPort++;
    }

    void start(int brokerCount) {
      Map<String, String> labels = Map.of(OWNER_LABEL, owner);
      network = Network.builder().createNetworkCmdModifier(cmd -> cmd.withLabels(labels)).build();
      toxiproxy =
          new ToxiproxyContainer(images.toxiproxy())
              .withNetwork(network)
              .withNetworkAliases("toxiproxy")
              .withLabels(labels);
      toxiproxy.start();
      host = toxiproxy.getHost();
      links = new Links(host, toxiproxy.getControlPort());
      directLinks = new Links(host, toxiproxy.getControlPort());

      // the proxy ports are fixed now, so the brokers can advertise them before they start
      Map<String, Integer> pgProxy = new LinkedHashMap<>();
      for (String link : POSTGRES_LINKS) {
        pgProxy.put(link, nextProxyPort());
      }
      int pgDirectProxy = nextProxyPort();
      List<String> clientLinks = new ArrayList<>(KAFKA_LINKS);
      clientLinks.add(DIRECT_KAFKA);
      Map<String, String> listenerNames = KafkaCluster.Builder.listenerNames(clientLinks);
      List<Map<String, Integer>> kafkaProxy = new ArrayList<>();
      for (int id = 1; id <= brokerCount; id++) {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String link : clientLinks) {
          ports.put(link, nextProxyPort());
        }
        kafkaProxy.add(ports);
      }

      PostgreSQLContainer pg =
          new PostgreSQLContainer(images.postgres())
              .withNetwork(network)
              .withNetworkAliases(POSTGRES_ALIAS)
              .withUsername(USER)
              .withPassword(PASSWORD)
              .withDatabaseName("postgres")
              .withLabels(labels);
      // as local mode's PostgresNode: log-based capture (Debezium) needs logical WAL
      pg.setCommand(
          "postgres",
          "-c",
          "fsync=off",
          "-c",
          "full_page_writes=off",
          "-c",
          "max_connections=200",
          "-c",
          "wal_level=logical",
          "-c",
          "max_replication_slots=64",
          "-c",
          "max_wal_senders=64");
      pg.withStartupTimeout(START_TIMEOUT);
      postgres = new ContainerNode("postgres", pg, this::awaitPostgres);

      String clusterId = clusterId();
      String voters =
          java.util.stream.IntStream.rangeClosed(1, brokerCount)
              .mapToObj(i -> i + "@kafka-" + i + ":" + CONTROLLER_PORT)
              .collect(Collectors.joining(","));
      for (int id = 1; id <= brokerCount; id++) {
        GenericContainer<?> kafka =
            new GenericContainer<>(images.kafka())
                .withNetwork(network)
                .withNetworkAliases("kafka-" + id)
                .withLabels(labels)
                .withEnv(
                    kafkaEnv(
                        id,
                        brokerCount,
                        clusterId,
                        voters,
                        listenerNames,
                        kafkaProxy.get(id - 1),
                        host,
                        toxiproxy));
        int brokerId = id;
        brokers.add(new ContainerNode("kafka-" + id, kafka, () -> awaitBroker(brokerId)));
      }
      List<GenericContainer<?>> all = new ArrayList<>();
      all.add(pg);
      brokers.forEach(n -> all.add(n.container()));
      try {
        Startables.deepStart(all).get(START_TIMEOUT.toSeconds() * 2, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "--infra containers: a server container did not start: " + e.getCause().getMessage(),
            e.getCause());
      } catch (TimeoutException e) {
        throw new IllegalStateException("--infra containers: servers did not start in time", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted starting containers", e);
      }

      // a server that exited on its own (its network name is gone with it) is named with its output
      List<ContainerNode> servers0 = new ArrayList<>(brokers);
      servers0.add(0, postgres);
      for (ContainerNode node : servers0) {
        node.requireRunning();
      }
      // routed once the servers run: the Toxiproxy server resolves the upstream name on creation
      pgProxy.forEach(
          (link, port) -> {
            links.route(link, "0.0.0.0:" + port, POSTGRES_ALIAS + ":" + POSTGRES_PORT);
            postgresPorts.put(link, toxiproxy.getMappedPort(port));
          });
      directLinks.route(
          DIRECT_POSTGRES, "0.0.0.0:" + pgDirectProxy, POSTGRES_ALIAS + ":" + POSTGRES_PORT);
      directPostgresPort = toxiproxy.getMappedPort(pgDirectProxy);
      Map<String, List<String>> servers = new LinkedHashMap<>();
      for (int id = 1; id <= brokerCount; id++) {
        int listenerPort = FIRST_CLIENT_PORT;
        for (Map.Entry<String, Integer> e : kafkaProxy.get(id - 1).entrySet()) {
          Links on = e.getKey().equals(DIRECT_KAFKA) ? directLinks : links;
          on.route(e.getKey(), "0.0.0.0:" + e.getValue(), "kafka-" + id + ":" + listenerPort++);
          servers
              .computeIfAbsent(e.getKey(), k -> new ArrayList<>())
              .add(host + ":" + toxiproxy.getMappedPort(e.getValue()));
        }
      }
      servers.forEach(
          (link, list) -> {
            if (link.equals(DIRECT_KAFKA)) {
              directBootstrap = String.join(",", list);
            } else {
              bootstraps.put(link, String.join(",", list));
            }
          });
    }

    // the readiness checks of a restarted node go through the direct proxies, set by then
    void awaitPostgres() {
      awaitPostgresAt(host, directPostgresPort, START_TIMEOUT);
    }

    void awaitBroker(int id) {
      try (Admin a = adminOn(directBootstrap)) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
          try {
            boolean registered =
                a
                    .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                    .nodes()
                    .get(3, TimeUnit.SECONDS)
                    .stream()
                    .anyMatch(n -> n.id() == id);
            if (registered) {
              return;
            }
          } catch (ExecutionException | TimeoutException e) {
            // not yet
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for kafka-" + id, e);
          }
          sleep(100);
        }
      }
      throw new IllegalStateException(
          "kafka-" + id + " did not register within " + START_TIMEOUT.toSeconds() + " s");
    }

    synchronized void closeAll() {
      if (closed) {
        return;
      }
      closed = true;
      for (Links l : new Links[] {links, directLinks}) {
        if (l != null) {
          try {
            l.close();
          } catch (RuntimeException e) {
            // the proxies go with the container
          }
        }
      }
      List<GenericContainer<?>> all = new ArrayList<>();
      brokers.forEach(n -> all.add(n.container()));
      if (postgres != null) {
        all.add(postgres.container());
      }
      if (toxiproxy != null) {
        all.add(toxiproxy);
      }
      for (GenericContainer<?> c : all) {
        try {
          c.stop(); // kills and removes the container with its volumes
        } catch (RuntimeException e) {
          // best effort; the reaper of the next start removes what is left
        }
      }
      if (network != null) {
        try {
          network.close();
        } catch (RuntimeException e) {
          // same
        }
      }
    }
  }

  /**
   * The broker's environment in apache/kafka's convention ({@code KAFKA_FOO_BAR} is {@code
   * foo.bar}), with the tuning of local mode's brokers: INTERNAL and CONTROLLER listeners on the
   * Docker network, and one listener per client link advertised at that link's proxy as the host
   * sees it.
   */
  static Map<String, String> kafkaEnv(
      int id,
      int brokers,
      String clusterId,
      String voters,
      Map<String, String> listenerNames,
      Map<String, Integer> proxyPorts,
      String host,
      ToxiproxyContainer toxiproxy) {
    int replicas = Math.min(brokers, 3);
    int minIsr = Math.min(brokers, 2);
    List<String> listeners = new ArrayList<>();
    List<String> advertised = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    listeners.add(KafkaNode.INTERNAL + "://0.0.0.0:" + INTERNAL_PORT);
    listeners.add(KafkaNode.CONTROLLER + "://0.0.0.0:" + CONTROLLER_PORT);
    advertised.add(KafkaNode.INTERNAL + "://kafka-" + id + ":" + INTERNAL_PORT);
    protocols.add(KafkaNode.INTERNAL + ":PLAINTEXT");
    protocols.add(KafkaNode.CONTROLLER + ":PLAINTEXT");
    int port = FIRST_CLIENT_PORT;
    for (Map.Entry<String, Integer> e : proxyPorts.entrySet()) {
      String name = listenerNames.get(e.getKey());
      listeners.add(name + "://0.0.0.0:" + port++);
      advertised.add(name + "://" + host + ":" + toxiproxy.getMappedPort(e.getValue()));
      protocols.add(name + ":PLAINTEXT");
    }
    Map<String, String> env = new LinkedHashMap<>();
    env.put("CLUSTER_ID", clusterId);
    env.put("KAFKA_NODE_ID", Integer.toString(id));
    env.put("KAFKA_PROCESS_ROLES", "broker,controller");
    env.put("KAFKA_CONTROLLER_QUORUM_VOTERS", voters);
    env.put("KAFKA_LISTENERS", String.join(",", listeners));
    env.put("KAFKA_ADVERTISED_LISTENERS", String.join(",", advertised));
    env.put("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", String.join(",", protocols));
    env.put("KAFKA_INTER_BROKER_LISTENER_NAME", KafkaNode.INTERNAL);
    env.put("KAFKA_CONTROLLER_LISTENER_NAMES", KafkaNode.CONTROLLER);
    env.put("KAFKA_NUM_PARTITIONS", "1");
    env.put("KAFKA_DEFAULT_REPLICATION_FACTOR", Integer.toString(replicas));
    env.put("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", Integer.toString(replicas));
    env.put("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "10");
    env.put("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", Integer.toString(replicas));
    env.put("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", Integer.toString(minIsr));
    env.put("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "10");
    env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", Integer.toString(replicas));
    env.put("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", Integer.toString(minIsr));
    env.put("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
    env.put("KAFKA_NUM_NETWORK_THREADS", "2");
    env.put("KAFKA_NUM_IO_THREADS", "4");
    env.put("KAFKA_BACKGROUND_THREADS", "4");
    env.put("KAFKA_LOG_CLEANER_THREADS", "1");
    env.put("KAFKA_NUM_RECOVERY_THREADS_PER_DATA_DIR", "1");
    env.put("KAFKA_BROKER_HEARTBEAT_INTERVAL_MS", "500");
    env.put("KAFKA_BROKER_SESSION_TIMEOUT_MS", "4000");
    env.put("KAFKA_CONTROLLER_QUORUM_ELECTION_TIMEOUT_MS", "1000");
    env.put("KAFKA_CONTROLLER_QUORUM_FETCH_TIMEOUT_MS", "2000");
    env.put("KAFKA_REPLICA_LAG_TIME_MAX_MS", "10000");
    env.put("KAFKA_UNCLEAN_LEADER_ELECTION_ENABLE", "false");
    env.put("KAFKA_HEAP_OPTS", "-Xms64m -Xmx384m");
    return env;
  }

  /**
   * A random KRaft cluster id, from Kafka's own generator, which never starts one with '-' (a
   * base64 id that does is read as an option by {@code kafka-storage format -t}, and the broker
   * exits: it happened here, once in a few dozen starts).
   */
  static String clusterId() {
    return org.apache.kafka.common.Uuid.randomUuid().toString();
  }

  /**
   * Removes containers and networks labelled by a JVM that is gone (it died without its shutdown
   * hook): what Ryuk would have removed.
   */
  static void reapOrphans() {
    DockerClient docker = DockerClientFactory.instance().client();
    for (Container c :
        docker.listContainersCmd().withShowAll(true).withLabelFilter(List.of(OWNER_LABEL)).exec()) {
      if (!ownerAlive(c.getLabels().get(OWNER_LABEL))) {
        try {
          docker.removeContainerCmd(c.getId()).withForce(true).withRemoveVolumes(true).exec();
        } catch (RuntimeException e) {
          // gone meanwhile
        }
      }
    }
    for (com.github.dockerjava.api.model.Network n : docker.listNetworksCmd().exec()) {
      Map<String, String> labels = n.getLabels();
      if (labels != null
          && labels.containsKey(OWNER_LABEL)
          && !ownerAlive(labels.get(OWNER_LABEL))) {
        try {
          docker.removeNetworkCmd(n.getId()).exec();
        } catch (RuntimeException e) {
          // still in use or gone
        }
      }
    }
  }

  private static boolean ownerAlive(String pid) {
    return pid != null
        && pid.matches("\\d+")
        && ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false);
  }

  static void awaitPostgresAt(String host, int port, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      try (Connection c = DriverManager.getConnection(url(host, port, "postgres"));
          Statement s = c.createStatement()) {
        s.execute("SELECT 1");
        return;
      } catch (SQLException e) {
        last = e;
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "Postgres at "
            + host
            + ":"
            + port
            + " did not answer within "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : ": " + last.getMessage()));
  }

  static String url(String host, int port, String database) {
    return "jdbc:postgresql://"
        + host
        + ":"
        + port
        + "/"
        + database
        + "?user="
        + USER
        + "&password="
        + PASSWORD
        + "&connectTimeout=10";
  }

  static Admin adminOn(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    return Admin.create(p);
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  void awaitAllBrokers(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    int seen = 0;
    while (System.nanoTime() < deadline) {
      try {
        seen =
            admin()
                .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                .nodes()
                .get(3, TimeUnit.SECONDS)
                .size();
        if (seen == brokers.size()) {
          return;
        }
      } catch (ExecutionException | TimeoutException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for Kafka", e);
      }
      sleep(100);
    }
    throw new IllegalStateException(
        "Kafka in containers: "
            + seen
            + " of "
            + brokers.size()
            + " brokers registered within "
            + timeout.toSeconds()
            + " s"
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "\n"
            + tail(brokers.get(0).logs(), 2000));
  }

  @Override
  public Mode mode() {
    return Mode.CONTAINERS;
  }

  @Override
  public String describe() {
    return "containers: Postgres ("
        + images.postgres()
        + "), "
        + brokers.size()
        + " Kafka broker(s) ("
        + images.kafka()
        + "), Toxiproxy ("
        + images.toxiproxy()
        + ") on Docker network "
        + network.getId().substring(0, 12)
        + ", engine "
        + engine.version()
        + " (API "
        + engine.apiVersion()
        + ")";
  }

  @Override
  public int brokers() {
    return brokers.size();
  }

  @Override
  public Links links() {
    return links;
  }

  @Override
  public String jdbcUrl(String link, String database) {
    return url(host, postgresPort(link), database);
  }

  @Override
  public String postgresHost(String link) {
    postgresPort(link);
    return host;
  }

  @Override
  public int postgresPort(String link) {
    Integer port = postgresPorts.get(link);
    if (port == null) {
      throw new BadInputException(
          "no Postgres link '" + link + "'; known links: " + postgresPorts.keySet());
    }
    return port;
  }

  @Override
  public String postgresUser() {
    return USER;
  }

  @Override
  public String postgresPassword() {
    return PASSWORD;
  }

  @Override
  public String bootstrap(String link) {
    String servers = bootstraps.get(link);
    if (servers == null) {
      throw new BadInputException("no Kafka link '" + link + "'; known links: " + KAFKA_LINKS);
    }
    return servers;
  }

  @Override
  public String directJdbcUrl(String database) {
    return url(host, directPostgresPort, database);
  }

  @Override
  public String directBootstrap() {
    return directBootstrap;
  }

  @Override
  public synchronized Admin admin() {
    if (admin == null) {
      admin = adminOn(directBootstrap);
    }
    return admin;
  }

  @Override
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    if (replicationFactor > brokers.size()) {
      throw new BadInputException(
          "topic "
              + name
              + ": replication factor "
              + replicationFactor
              + " needs that many brokers, the cluster has "
              + brokers.size());
    }
    Topics.create(admin(), name, partitions, replicationFactor, configs, ADMIN_TIMEOUT);
  }

  @Override
  public int leaderOf(String topic, int partition) {
    return Topics.leader(admin(), topic, partition, ADMIN_TIMEOUT)
        .map(org.apache.kafka.common.Node::id)
        .orElse(-1);
  }

  @Override
  public String newDatabase(String prefix) {
    String name = LocalInfrastructure.databaseName(prefix, databases.incrementAndGet());
    try (Connection c = DriverManager.getConnection(directJdbcUrl("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return name;
  }

  /** The containers are ours: every process fault applies, on the container. */
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
            return brokers;
          }
        });
  }

  @Override
  public void healAll() {
    Infrastructure.super.healAll();
    directLinks.healAll();
  }

  @Override
  public List<Path> archiveLogs(Path into, int maxBytes) {
    List<Path> written = new ArrayList<>();
    try {
      Files.createDirectories(into);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot create " + into, e);
    }
    List<ContainerNode> nodes = new ArrayList<>();
    nodes.add(postgres);
    nodes.addAll(brokers);
    for (ContainerNode node : nodes) {
      Path copy = into.resolve(node.name() + ".log");
      try {
        Files.writeString(copy, tail(node.logs(), maxBytes), StandardCharsets.UTF_8);
        written.add(copy);
      } catch (IOException | RuntimeException e) {
        try {
          Files.writeString(copy, "cannot read the logs of " + node.name() + ": " + e + "\n");
          written.add(copy);
        } catch (IOException ignored) {
          // skip this one
        }
      }
    }
    return written;
  }

  private static String tail(String text, int maxChars) {
    return text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
  }

  /** The container of a node, for tests. */
  GenericContainer<?> container(String node) {
    return serverControl().orElseThrow().nodes().stream()
        .filter(n -> n.name().equals(node))
        .map(n -> ((ContainerNode) n).container())
        .findFirst()
        .orElseThrow();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
    }
    parts.closeAll(); // the same teardown as a failed start
    SHARED.values().remove(this);
  }
}
