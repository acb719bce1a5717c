package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.AppInfoParser;

/**
 * A KRaft Kafka cluster of combined broker + controller nodes on loopback, each a child JVM ({@link
 * KafkaNode}). Every node has a {@code CONTROLLER} listener, an {@code INTERNAL} listener (direct;
 * the harness and inter-broker traffic use it) and one listener per named client link, advertised
 * as the port the {@link LinkRouter} returns. Kafka answers metadata requests with the addresses of
 * the listener the client came in on, so a client bootstrapped through the {@code consumer->kafka}
 * proxies stays on them for every broker.
 *
 * <p>Every port is picked at run time. When another program takes one between the pick and the
 * broker's bind, the first {@link #start()} moves that listener to a fresh port (rerouting its
 * proxy) and starts the cluster again, at most {@link Ports#START_ATTEMPTS} times in all; later
 * starts keep the ports.
 *
 * <p>Tuned for tests: small heaps, small internal topics, no initial rebalance delay, and a broker
 * session timeout of a few seconds so a killed leader is replaced quickly.
 */
public final class KafkaCluster implements AutoCloseable {
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

  private final Path dir;
  private final String clusterId;
  private final List<KafkaNode> nodes;
  private final List<String> links;
  private final Map<String, String> listenerNames;
  private final Map<String, String> overrides;
  private final LinkRouter router;
  private Admin admin;
  private boolean startedOnce;

  private KafkaCluster(
      Path dir,
      String clusterId,
      List<KafkaNode> nodes,
      List<String> links,
      Map<String, String> listenerNames,
      Map<String, String> overrides,
      LinkRouter router) {
    this.dir = dir;
    this.clusterId = clusterId;
    this.nodes = List.copyOf(nodes);
    this.links = List.copyOf(links);
    this.listenerNames = listenerNames;
    this.overrides = overrides;
    this.router = router;
    writeProperties();
  }

  /** Starts configuring a cluster whose nodes live under {@code dir/kafka-N}. */
  public static Builder builder(Path dir) {
    return new Builder(dir);
  }

  /** The Kafka version of the jars the brokers run (the same as kafka-clients). */
  public static String version() {
    return AppInfoParser.getVersion();
  }

  /**
   * Starts every node (each formats its storage on its first start) and returns once all are
   * registered and unfenced. On the first start, a picked port that another program took before a
   * broker bound it is replaced by a fresh one and the cluster started again.
   *
   * @throws PortInUseException when a port is still taken after {@link Ports#START_ATTEMPTS}
   *     starts, or on a later start
   */
  public synchronized void start() {
    for (int attempt = 1; ; attempt++) {
      try {
        startNodes();
        startedOnce = true;
        return;
      } catch (PortInUseException e) {
        if (startedOnce || attempt >= Ports.START_ATTEMPTS) {
          throw e;
        }
        movePort(e);
      }
    }
  }

  private void startNodes() {
    for (KafkaNode node : nodes) {
      if (!node.isRunning()) {
        node.launch();
      }
    }
    // every node is checked while waiting: one that cannot bind its controller port exits
    // while the others wait for it
    boolean listening =
        Wait.upTo(KafkaNode.START_TIMEOUT, Duration.ofMillis(20))
            .until(
                () -> {
                  nodes.forEach(KafkaNode::requireAlive);
                  return nodes.stream().allMatch(KafkaNode::isListening);
                });
    if (!listening) {
      for (KafkaNode node : nodes) {
        node.awaitListening(Duration.ZERO); // throws, naming the first node that is not listening
      }
    }
    awaitAllBrokers(KafkaNode.START_TIMEOUT);
  }

  /**
   * Kills every node, moves the listener on the taken port to a fresh one, wipes the storage the
   * failed start formatted (nothing was ever written to it) and rewrites every node's properties
   * (the controller ports are in all of them).
   */
  private void movePort(PortInUseException taken) {
    close();
    int fresh = Ports.free();
    String what = null;
    for (KafkaNode node : nodes) {
      what = node.replacePort(taken.port(), fresh, router).orElse(null);
      if (what != null) {
        break;
      }
    }
    if (what == null) {
      throw taken; // not a port of ours: nothing to move
    }
    Ports.announceRetry("Kafka " + what, taken.port(), fresh);
    for (KafkaNode node : nodes) {
      LocalInfrastructure.deleteRecursively(node.dir().resolve("data"));
    }
    writeProperties();
  }

  private void writeProperties() {
    String voters =
        nodes.stream()
            .map(n -> n.id() + "@127.0.0.1:" + n.controllerPort())
            .collect(Collectors.joining(","));
    for (KafkaNode node : nodes) {
      node.writeProperties(Builder.config(node, voters, listenerNames, nodes.size(), overrides));
    }
  }

  /** For tests: runs {@code hook} just before each node's JVM is launched. */
  void beforeLaunch(Consumer<KafkaNode> hook) {
    nodes.forEach(n -> n.beforeLaunch(hook));
  }

  /** Waits until describeCluster lists every node as a live broker. */
  public void awaitAllBrokers(Duration timeout) {
    Exception[] last = {null};
    int[] seen = {0};
    boolean all =
        Wait.upTo(timeout, Duration.ofMillis(50))
            .until(
                () -> {
                  for (KafkaNode node : nodes) {
                    node.requireAlive();
                  }
                  try {
                    seen[0] =
                        admin()
                            .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .size();
                    return seen[0] == nodes.size();
                  } catch (ExecutionException | TimeoutException e) {
                    last[0] = e;
                    return false;
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for Kafka", e);
                  }
                });
    if (all) {
      return;
    }
    throw new IllegalStateException(
        "Kafka: "
            + seen[0]
            + " of "
            + nodes.size()
            + " brokers registered within "
            + timeout.toSeconds()
            + " s"
            + (last[0] == null ? "" : " (" + last[0].getMessage() + ")")
            + "; logs: "
            + nodes.stream().map(n -> n.logFile().toString()).collect(Collectors.joining(", "))
            + "\n"
            + nodes.get(0).logTail(20));
  }

  /** Kills every node (the data is a test's, so there is nothing to shut down cleanly for). */
  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ZERO);
      admin = null;
    }
    nodes.forEach(KafkaNode::kill);
  }

  /** The direct bootstrap servers (internal listeners, no proxy). */
  public String bootstrapServers() {
    return nodes.stream()
        .map(n -> "127.0.0.1:" + n.internalPort())
        .collect(Collectors.joining(","));
  }

  /** The bootstrap servers of a client link: every node's advertised port for it. */
  public String bootstrapServers(String link) {
    return nodes.stream()
        .map(n -> "127.0.0.1:" + n.advertisedPort(link))
        .collect(Collectors.joining(","));
  }

  public List<KafkaNode> nodes() {
    return nodes;
  }

  /** The node with {@code node.id} {@code id} (from 1). */
  public KafkaNode node(int id) {
    return nodes.stream()
        .filter(n -> n.id() == id)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "no Kafka node " + id + "; nodes are 1.." + nodes.size()));
  }

  /** The client links the brokers listen for. */
  public List<String> links() {
    return links;
  }

  public String clusterId() {
    return clusterId;
  }

  public Path dir() {
    return dir;
  }

  /** An admin client on the internal listeners, owned by the cluster (do not close it). */
  public synchronized Admin admin() {
    if (admin == null) {
      admin = Admin.create(KafkaNode.adminConfig(bootstrapServers()));
    }
    return admin;
  }

  /** Creates a topic and waits until every partition has a leader. */
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    if (replicationFactor > nodes.size()) {
      throw new BadInputException(
          "topic "
              + name
              + ": replication factor "
              + replicationFactor
              + " needs that many brokers, the cluster has "
              + nodes.size());
    }
    Topics.create(admin(), name, partitions, replicationFactor, configs, ADMIN_TIMEOUT);
  }

  /** The node id leading {@code topic}'s {@code partition}, or -1 while it has no leader. */
  public int leaderOf(String topic, int partition) {
    return Topics.leader(admin(), topic, partition, ADMIN_TIMEOUT)
        .map(org.apache.kafka.common.Node::id)
        .orElse(-1);
  }

  /** Configures a {@link KafkaCluster}. */
  public static final class Builder {
    private final Path dir;
    private int brokers = 1;
    private final List<String> clientLinks = new ArrayList<>();
    private LinkRouter router = LinkRouter.DIRECT;
    private IntSupplier ports = Ports::free;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private List<String> jvmOptions = defaultJvmOptions();

    private Builder(Path dir) {
      this.dir = dir.toAbsolutePath();
    }

    /**
     * Small heap, serial GC, C1 only, WARN logging; {@code -Dcdcchaos.kafka.jvmOptions="..."}
     * (space-separated) replaces them, e.g. for throughput benchmarks that want C2.
     */
    static List<String> defaultJvmOptions() {
      String configured = System.getProperty("cdcchaos.kafka.jvmOptions");
      if (configured != null && !configured.isBlank()) {
        return List.of(configured.trim().split("\\s+"));
      }
      return List.of(
          "-Xms64m",
          "-Xmx384m",
          "-XX:+UseSerialGC",
          // C1 only and no verification of the (Maven Central) Kafka jars: a broker starts with
          // about 40% less CPU (4.1 s -> 2.3 s measured), which matters on a shared 2-core box
          "-XX:TieredStopAtLevel=1",
          "-XX:+UnlockDiagnosticVMOptions",
          "-XX:-BytecodeVerificationRemote",
          "-Xshare:auto",
          "-Djava.awt.headless=true",
          "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-Dorg.slf4j.simpleLogger.showDateTime=true",
          "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
    }

    /** The number of combined broker + controller nodes (1 or 3 in practice). */
    public Builder brokers(int value) {
      if (value < 1) {
        throw new BadInputException("a Kafka cluster needs at least 1 broker, got " + value);
      }
      brokers = value;
      return this;
    }

    /** Named client links (e.g. {@code publisher->kafka}); each gets a listener on every node. */
    public Builder clientLinks(List<String> values) {
      clientLinks.addAll(values);
      return this;
    }

    /** Puts each client link's listeners behind a proxy; {@link LinkRouter#DIRECT} by default. */
    public Builder router(LinkRouter value) {
      router = Objects.requireNonNull(value);
      return this;
    }

    /** A broker setting that overrides the defaults (for every node). */
    public Builder brokerConfig(String key, String value) {
      overrides.put(key, value);
      return this;
    }

    /** Replaces the broker JVM options (heap, GC, logging). */
    public Builder jvmOptions(List<String> values) {
      jvmOptions = List.copyOf(values);
      return this;
    }

    /**
     * For tests: where the ports come from ({@link Ports#free()} by default), in the order
     * controller ports of nodes 1..n, then per node its internal port and its client links' ports.
     */
    Builder portSource(IntSupplier value) {
      ports = Objects.requireNonNull(value);
      return this;
    }

    /** Picks ports, routes the client links and writes each node's properties. */
    public KafkaCluster build() {
      Map<String, String> listenerNames = listenerNames(clientLinks);
      Map<Integer, Integer> controllerPorts = new LinkedHashMap<>();
      for (int id = 1; id <= brokers; id++) {
        controllerPorts.put(id, ports.getAsInt());
      }
      String clusterId = Uuid.randomUuid().toString();
      List<KafkaNode> nodes = new ArrayList<>();
      for (int id = 1; id <= brokers; id++) {
        Path nodeDir = dir.resolve("kafka-" + id);
        int internal = ports.getAsInt();
        Map<String, Integer> listen = new LinkedHashMap<>();
        Map<String, Integer> advertised = new LinkedHashMap<>();
        for (String link : clientLinks) {
          int port = ports.getAsInt();
          listen.put(link, port);
          advertised.put(link, router.route(link, "127.0.0.1", port));
        }
        KafkaNode node =
            new KafkaNode(
                id,
                clusterId,
                nodeDir,
                internal,
                controllerPorts.get(id),
                listen,
                advertised,
                jvmOptions);
        nodes.add(node);
      }
      return new KafkaCluster(
          dir, clusterId, nodes, clientLinks, listenerNames, Map.copyOf(overrides), router);
    }

    static Map<String, String> config(
        KafkaNode node,
        String voters,
        Map<String, String> listenerNames,
        int brokers,
        Map<String, String> overrides) {
      int replicas = Math.min(brokers, 3);
      int minIsr = Math.min(brokers, 2);
      List<String> listeners = new ArrayList<>();
      List<String> advertised = new ArrayList<>();
      List<String> protocols = new ArrayList<>();
      listeners.add(KafkaNode.INTERNAL + "://127.0.0.1:" + node.internalPort());
      listeners.add(KafkaNode.CONTROLLER + "://127.0.0.1:" + node.controllerPort());
      advertised.add(KafkaNode.INTERNAL + "://127.0.0.1:" + node.internalPort());
      protocols.add(KafkaNode.INTERNAL + ":PLAINTEXT");
      protocols.add(KafkaNode.CONTROLLER + ":PLAINTEXT");
      listenerNames.forEach(
          (link, listener) -> {
            listeners.add(listener + "://127.0.0.1:" + node.listenPort(link));
            advertised.add(listener + "://127.0.0.1:" + node.advertisedPort(link));
            protocols.add(listener + ":PLAINTEXT");
          });
      Map<String, String> c = new LinkedHashMap<>();
      c.put("process.roles", "broker,controller");
      c.put("node.id", Integer.toString(node.id()));
      c.put("controller.quorum.voters", voters);
      c.put("listeners", String.join(",", listeners));
      c.put("advertised.listeners", String.join(",", advertised));
      c.put("listener.security.protocol.map", String.join(",", protocols));
      c.put("inter.broker.listener.name", KafkaNode.INTERNAL);
      c.put("controller.listener.names", KafkaNode.CONTROLLER);
      c.put("log.dirs", node.dir().resolve("data").toString());
      c.put("num.partitions", "1");
      c.put("default.replication.factor", Integer.toString(replicas));
      c.put("offsets.topic.replication.factor", Integer.toString(replicas));
      c.put("offsets.topic.num.partitions", "10");
      c.put("transaction.state.log.replication.factor", Integer.toString(replicas));
      c.put("transaction.state.log.min.isr", Integer.toString(minIsr));
      c.put("transaction.state.log.num.partitions", "10");
      c.put("share.coordinator.state.topic.replication.factor", Integer.toString(replicas));
      c.put("share.coordinator.state.topic.min.isr", Integer.toString(minIsr));
      c.put("group.initial.rebalance.delay.ms", "0");
      c.put("num.network.threads", "2");
      c.put("num.io.threads", "4");
      c.put("background.threads", "4");
      c.put("log.cleaner.threads", "1");
      c.put("num.recovery.threads.per.data.dir", "1");
      // a killed broker is fenced (and its partitions move) within seconds, not the default 9 s
      c.put("broker.heartbeat.interval.ms", "500");
      c.put("broker.session.timeout.ms", "4000");
      c.put("controller.quorum.election.timeout.ms", "1000");
      c.put("controller.quorum.fetch.timeout.ms", "2000");
      c.put("replica.lag.time.max.ms", "10000");
      c.put("unclean.leader.election.enable", "false");
      c.putAll(overrides);
      return c;
    }

    /** Listener names (upper case, [A-Z0-9_]) for link names such as {@code publisher->kafka}. */
    static Map<String, String> listenerNames(List<String> links) {
      Map<String, String> names = new LinkedHashMap<>();
      for (String link : links) {
        String name = link.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]+", "_");
        name = name.replaceAll("^_+|_+$", "");
        if (name.isEmpty()
            || name.equals(KafkaNode.INTERNAL)
            || name.equals(KafkaNode.CONTROLLER)) {
          name = "LINK_" + name;
        }
        if (names.containsKey(link) || names.containsValue(name)) {
          throw new BadInputException(
              "Kafka client link '" + link + "' is given twice or clashes with another link name");
        }
        names.put(link, name);
      }
      return names;
    }
  }
}
