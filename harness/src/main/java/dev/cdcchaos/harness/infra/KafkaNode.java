package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.infra.kafka.KafkaServerMain;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * One combined KRaft broker + controller as a child JVM running {@code kafka.Kafka
 * server.properties} from the {@code kafka_2.13} jars on the harness class path. Its data stays in
 * its directory across kill and restart. Built by {@link KafkaCluster}, which writes the properties
 * and formats the storage.
 */
public final class KafkaNode implements Node {
  static final String INTERNAL = "INTERNAL";
  static final String CONTROLLER = "CONTROLLER";
  static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final int id;
  private final Path dir;
  private final JavaProcess process;
  // replaced (by the cluster, before its first start succeeds) when a picked port was taken
  private volatile int internalPort;
  private volatile int controllerPort;
  private volatile Map<String, Integer> listenPorts;
  private volatile Map<String, Integer> advertisedPorts;
  private volatile Consumer<KafkaNode> beforeLaunch = node -> {};

  KafkaNode(
      int id,
      String clusterId,
      Path dir,
      int internalPort,
      int controllerPort,
      Map<String, Integer> listenPorts,
      Map<String, Integer> advertisedPorts,
      List<String> jvmOptions) {
    this.id = id;
    this.dir = dir;
    this.internalPort = internalPort;
    this.controllerPort = controllerPort;
    this.listenPorts = Collections.unmodifiableMap(new LinkedHashMap<>(listenPorts));
    this.advertisedPorts = Collections.unmodifiableMap(new LinkedHashMap<>(advertisedPorts));
    this.process =
        JavaProcess.builder(name(), KafkaServerMain.class.getName())
            .args(clusterId, propertiesFile().toString())
            .jvmOptions(jvmOptions)
            .logFile(dir.resolve("kafka.log"))
            .workingDir(dir)
            .stopTimeout(Duration.ofSeconds(20))
            .build();
  }

  /** The node id ({@code node.id}), from 1. */
  public int id() {
    return id;
  }

  @Override
  public String name() {
    return "kafka-" + id;
  }

  /** The direct listener, used by the harness itself and between brokers. */
  public int internalPort() {
    return internalPort;
  }

  public int controllerPort() {
    return controllerPort;
  }

  /** The port this node listens on for {@code link}'s clients. */
  public int listenPort(String link) {
    return port(listenPorts, link);
  }

  /** The port this node advertises for {@code link} (the link's proxy, if it is routed). */
  public int advertisedPort(String link) {
    return port(advertisedPorts, link);
  }

  /** The client links this node has listeners for. */
  public List<String> links() {
    return List.copyOf(listenPorts.keySet());
  }

  public Path dir() {
    return dir;
  }

  public Path propertiesFile() {
    return dir.resolve("server.properties");
  }

  public Path logFile() {
    return process.logFile();
  }

  public String logTail(int lines) {
    return process.logTail(lines);
  }

  void writeProperties(Map<String, String> config) {
    Properties props = new Properties();
    props.putAll(config);
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(propertiesFile())) {
        props.store(out, name() + ", written by cdc-chaos");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + propertiesFile(), e);
    }
  }

  /** Launches the JVM without waiting; {@link #start()} and the cluster wait their own way. */
  void launch() {
    Ports.requireFree(internalPort, name() + " internal listener");
    Ports.requireFree(controllerPort, name() + " controller listener");
    listenPorts.forEach((link, port) -> Ports.requireFree(port, name() + " listener for " + link));
    beforeLaunch.accept(this);
    process.start();
  }

  /** For tests: runs just before the JVM is launched (after its ports were checked). */
  void beforeLaunch(Consumer<KafkaNode> hook) {
    beforeLaunch = hook;
  }

  /**
   * Moves whichever of this node's listeners is on {@code taken} to {@code fresh}, rerouting a
   * client link's proxy, and returns what the port was for (empty when it is not this node's). The
   * caller rewrites the properties of every node (the controller port is in all of them).
   */
  synchronized Optional<String> replacePort(int taken, int fresh, LinkRouter router) {
    if (internalPort == taken) {
      internalPort = fresh;
      return Optional.of(name() + " internal listener");
    }
    if (controllerPort == taken) {
      controllerPort = fresh;
      return Optional.of(name() + " controller listener");
    }
    for (Map.Entry<String, Integer> e : listenPorts.entrySet()) {
      if (e.getValue() == taken) {
        String link = e.getKey();
        Map<String, Integer> listen = new LinkedHashMap<>(listenPorts);
        Map<String, Integer> advertised = new LinkedHashMap<>(advertisedPorts);
        listen.put(link, fresh);
        advertised.put(link, router.reroute(link, advertisedPorts.get(link), "127.0.0.1", fresh));
        listenPorts = Collections.unmodifiableMap(listen);
        advertisedPorts = Collections.unmodifiableMap(advertised);
        return Optional.of(name() + " listener for " + link);
      }
    }
    return Optional.empty();
  }

  /** Whether the internal listener accepts a TCP connection right now. */
  boolean isListening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", internalPort), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts the node and waits until it is registered and unfenced (listed by the cluster). */
  @Override
  public void start() {
    if (isRunning()) {
      return;
    }
    launch();
    awaitRegistered(START_TIMEOUT);
  }

  /**
   * Waits until this node lists itself among the live brokers: it has caught up with the metadata
   * log and the controller has unfenced it.
   */
  void awaitRegistered(Duration timeout) {
    long started = System.nanoTime();
    awaitListening(timeout);
    Exception[] last = {null};
    boolean registered;
    try (Admin admin = Admin.create(adminConfig("127.0.0.1:" + internalPort))) {
      Duration left = timeout.minusNanos(System.nanoTime() - started);
      registered =
          Wait.upTo(left.isNegative() ? Duration.ZERO : left, Duration.ofMillis(50))
              .until(
                  () -> {
                    requireAlive();
                    try {
                      return admin
                          .describeCluster(new DescribeClusterOptions().timeoutMs(2_000))
                          .nodes()
                          .get(3, TimeUnit.SECONDS)
                          .stream()
                          .anyMatch(n -> n.id() == id);
                    } catch (ExecutionException | TimeoutException e) {
                      last[0] = e;
                      return false;
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                      throw new IllegalStateException("interrupted while waiting for " + name(), e);
                    }
                  });
    }
    if (registered) {
      return;
    }
    Exception lastError = last[0];
    throw new IllegalStateException(
        name()
            + " did not register within "
            + timeout.toSeconds()
            + " s ("
            + (lastError == null ? "not listed" : lastError.getMessage())
            + "); log "
            + logFile()
            + ":\n"
            + logTail(20));
  }

  /**
   * Waits until the internal listener accepts TCP connections, so that admin clients are not
   * created against a closed port (they back off for seconds after failed bootstraps).
   */
  void awaitListening(Duration timeout) {
    boolean listening =
        Wait.upTo(timeout, Duration.ofMillis(20))
            .until(
                () -> {
                  requireAlive();
                  return isListening();
                });
    if (listening) {
      return;
    }
    throw new IllegalStateException(
        name()
            + " did not open port "
            + internalPort
            + " within "
            + timeout.toSeconds()
            + " s; log "
            + logFile()
            + ":\n"
            + logTail(20));
  }

  /**
   * Throws when the JVM has exited: a {@link PortInUseException} naming the port when the broker
   * could not bind one of its listeners, else an {@link IllegalStateException} with the log tail.
   */
  void requireAlive() {
    if (!process.isRunning()) {
      String log = logTail(20);
      String thisStart = LogFiles.sinceLast(logFile(), "---- " + name() + " starting: ");
      if (thisStart.contains("Address already in use")) {
        OptionalInt port = Ports.kafkaBindFailure(thisStart);
        String message =
            name()
                + " cannot bind "
                + (port.isPresent() ? "port " + port.getAsInt() : "its ports")
                + " on 127.0.0.1 (in use?); log "
                + logFile()
                + ":\n"
                + log;
        if (port.isPresent()) {
          throw new PortInUseException(port.getAsInt(), message);
        }
        throw new dev.cdcchaos.harness.BadInputException(message);
      }
      throw new IllegalStateException(
          name()
              + " exited with code "
              + process.exitCode().orElse(-1)
              + " while starting; log "
              + logFile()
              + ":\n"
              + log);
    }
  }

  static Properties adminConfig(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, 50);
    p.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
    p.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50);
    p.put(AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 500);
    return p;
  }

  /** Controlled shutdown (SIGTERM), killed if it takes longer than 20 s. */
  @Override
  public void stop() {
    process.stop();
  }

  @Override
  public void kill() {
    process.kill();
  }

  @Override
  public void pause() {
    process.pause();
  }

  @Override
  public void resume() {
    process.resume();
  }

  @Override
  public void restart() {
    stop();
    start();
  }

  @Override
  public boolean isRunning() {
    return process.isRunning();
  }

  public boolean isPaused() {
    return process.isPaused();
  }

  @Override
  public OptionalLong pid() {
    return process.pid();
  }

  /** The CPU time the running broker JVM has used so far (a figure independent of machine load). */
  public Optional<Duration> cpuTime() {
    return process.pid().isPresent()
        ? ProcessHandle.of(process.pid().getAsLong()).flatMap(h -> h.info().totalCpuDuration())
        : Optional.empty();
  }

  @Override
  public String toString() {
    return name() + " on 127.0.0.1:" + internalPort + (isRunning() ? "" : " (down)");
  }

  private int port(Map<String, Integer> ports, String link) {
    Integer port = ports.get(link);
    if (port == null) {
      throw new IllegalArgumentException(
          "no Kafka client link '" + link + "'; known links: " + ports.keySet());
    }
    return port;
  }
}
