package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.infra.ExternalSettings.HostPort;
import dev.cdcchaos.harness.net.Links;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * The {@code external} infrastructure: a Postgres, a Kafka cluster and a Toxiproxy someone else
 * runs ({@code docker compose up}, a staging cluster), located by {@link ExternalSettings}. The
 * harness creates its proxies on that Toxiproxy through toxiproxy-java, as in local mode, and
 * deletes them when it closes; it neither starts nor stops a server, so it has no {@link
 * ServerControl} and process faults on Postgres or a broker do not apply here.
 *
 * <p>Each run isolates itself on the shared servers by its own database (named with a token of this
 * JVM, so runs of other JVMs on the same server never collide), topic, consumer group and folder,
 * as the tests do on shared local servers. The databases and topics stay on the servers after the
 * run, for inspection.
 */
public final class ExternalInfrastructure implements Infrastructure {
  private static final Duration CONNECT = Duration.ofSeconds(5);
  private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,62}");
  private static final Map<ExternalSettings, ExternalInfrastructure> SHARED = new LinkedHashMap<>();

  private final ExternalSettings settings;
  private final Links links;
  private final Map<String, Integer> postgresProxyPorts;
  private final Map<String, List<Integer>> kafkaProxyPorts;
  private final List<Integer> brokerIds;
  private final String token;
  private final boolean counters;
  private final AtomicInteger databases = new AtomicInteger();
  private Admin admin;
  private boolean closed;

  private ExternalInfrastructure(
      ExternalSettings settings,
      Links links,
      Map<String, Integer> postgresProxyPorts,
      Map<String, List<Integer>> kafkaProxyPorts,
      List<Integer> brokerIds,
      Admin admin) {
    this.settings = settings;
    this.links = links;
    this.postgresProxyPorts = Map.copyOf(postgresProxyPorts);
    this.kafkaProxyPorts = Map.copyOf(kafkaProxyPorts);
    this.brokerIds = List.copyOf(brokerIds);
    this.admin = admin;
    this.token = token();
    // Shopify's Toxiproxy answers 404 on /counters; ours serves them
    this.counters = links.counters(Links.WRITER_TO_POSTGRES).isPresent();
  }

  /**
   * Connects to the servers of {@code settings}: checks that each answers, creates the proxies of
   * every link on the Toxiproxy and checks that Postgres and every broker answer through them.
   *
   * @throws BadInputException naming the server and its address when one does not answer, or what
   *     to change when the proxies do not reach the servers or the brokers advertise addresses that
   *     bypass them
   */
  public static ExternalInfrastructure connect(ExternalSettings settings) {
    requireToxiproxy(settings.toxiproxyUrl());
    requirePostgres(settings);
    Admin admin = Admin.create(adminConfig(settings.kafkaBootstrap()));
    Links links = null;
    try {
      List<Integer> ids =
          brokerIds(
              admin,
              "Kafka at " + settings.kafkaBootstrap(),
              " (kafka.bootstrap, CDC_CHAOS_KAFKA_BOOTSTRAP)");
      if (ids.size() != settings.brokers()) {
        throw new BadInputException(
            "Kafka at "
                + settings.kafkaBootstrap()
                + " has "
                + ids.size()
                + " broker(s) "
                + ids
                + ", but the proxy settings list "
                + settings.brokers()
                + " address(es) per link (proxy.publisher-kafka.listen ...): give one per broker");
      }
      URI api = settings.toxiproxyUrl();
      links = new Links(api.getHost(), api.getPort());
      ExternalInfrastructure infra = route(settings, links, ids, admin);
      infra.requireProxiesReachServers();
      return infra;
    } catch (RuntimeException e) {
      if (links != null) {
        links.close();
      }
      admin.close(Duration.ofSeconds(5));
      throw e;
    }
  }

  /** Creates every link's proxies on the Toxiproxy. */
  private static ExternalInfrastructure route(
      ExternalSettings settings, Links links, List<Integer> ids, Admin admin) {
    try {
      Map<String, Integer> pg = new LinkedHashMap<>();
      pg.put(
          Links.WRITER_TO_POSTGRES,
          links.route(
              Links.WRITER_TO_POSTGRES,
              settings.writerPostgresListen().toString(),
              settings.postgresUpstream().toString()));
      pg.put(
          Links.PUBLISHER_TO_POSTGRES,
          links.route(
              Links.PUBLISHER_TO_POSTGRES,
              settings.publisherPostgresListen().toString(),
              settings.postgresUpstream().toString()));
      Map<String, List<Integer>> kafka = new LinkedHashMap<>();
      kafka.put(
          Links.PUBLISHER_TO_KAFKA,
          routeBrokers(
              links,
              Links.PUBLISHER_TO_KAFKA,
              settings.publisherKafkaListen(),
              settings.publisherKafkaUpstream()));
      kafka.put(
          Links.CONSUMER_TO_KAFKA,
          routeBrokers(
              links,
              Links.CONSUMER_TO_KAFKA,
              settings.consumerKafkaListen(),
              settings.consumerKafkaUpstream()));
      ExternalInfrastructure infra =
          new ExternalInfrastructure(settings, links, pg, kafka, ids, admin);
      infra.requireProxiesReachServers();
      return infra;
    } catch (RuntimeException e) {
      if (links != null) {
        links.close();
      }
      admin.close(Duration.ofSeconds(5));
      throw e;
    }
  }

  /**
   * The instance for {@code settings} shared by everything in this JVM: connected on first use, its
   * proxies deleted when the JVM exits. Each call heals every link.
   */
  public static synchronized ExternalInfrastructure shared(ExternalSettings settings) {
    ExternalInfrastructure infra = SHARED.get(settings);
    if (infra == null) {
      infra = connect(settings);
      ExternalInfrastructure connected = infra;
      ChildProcesses.atExit(connected::close);
      SHARED.put(settings, infra);
    } else {
      infra.healAll();
    }
    return infra;
  }

  @Override
  public Mode mode() {
    return Mode.EXTERNAL;
  }

  @Override
  public String describe() {
    return "external: Postgres at "
        + settings.postgresHost()
        + ":"
        + settings.postgresPort()
        + ", Kafka at "
        + settings.kafkaBootstrap()
        + " ("
        + brokerIds.size()
        + " broker(s)), Toxiproxy at "
        + settings.toxiproxyUrl()
        + (counters
            ? ""
            : " (it serves no per-proxy counters: a network fault cannot be proven to take"
                + " effect, and its run ends UNKNOWN)");
  }

  /**
   * Whether the Toxiproxy serves per-proxy counters ({@code GET /counters}, as the harness's own
   * Toxiproxy API server does), which prove that a network fault took effect.
   */
  public boolean hasCounters() {
    return counters;
  }

  public ExternalSettings settings() {
    return settings;
  }

  @Override
  public int brokers() {
    return brokerIds.size();
  }

  @Override
  public Links links() {
    return links;
  }

  @Override
  public String jdbcUrl(String link, String database) {
    return jdbcUrl(postgresHost(link), postgresPort(link), database);
  }

  @Override
  public String postgresHost(String link) {
    postgresPort(link);
    return settings.proxyHost();
  }

  @Override
  public int postgresPort(String link) {
    Integer port = postgresProxyPorts.get(link);
    if (port == null) {
      throw new BadInputException(
          "no Postgres link '" + link + "'; known links: " + postgresProxyPorts.keySet());
    }
    return port;
  }

  @Override
  public String postgresUser() {
    return settings.postgresUser();
  }

  @Override
  public String postgresPassword() {
    return settings.postgresPassword();
  }

  @Override
  public String bootstrap(String link) {
    List<Integer> ports = kafkaProxyPorts.get(link);
    if (ports == null) {
      throw new BadInputException("no Kafka link '" + link + "'; known links: " + KAFKA_LINKS);
    }
    return ports.stream()
        .map(p -> new HostPort(settings.proxyHost(), p).toString())
        .collect(Collectors.joining(","));
  }

  @Override
  public String directJdbcUrl(String database) {
    return jdbcUrl(settings.postgresHost(), settings.postgresPort(), database);
  }

  @Override
  public String directBootstrap() {
    return settings.kafkaBootstrap();
  }

  @Override
  public synchronized Admin admin() {
    return admin;
  }

  @Override
  public void createTopic(
      String name, int partitions, int replicationFactor, Map<String, String> configs) {
    if (replicationFactor > brokerIds.size()) {
      throw new BadInputException(
          "topic "
              + name
              + ": replication factor "
              + replicationFactor
              + " needs that many brokers, Kafka at "
              + settings.kafkaBootstrap()
              + " has "
              + brokerIds.size());
    }
    Topics.create(admin(), name, partitions, replicationFactor, configs, ADMIN_TIMEOUT);
  }

  /** The broker number (position of its id among the cluster's, from 1) leading the partition. */
  @Override
  public int leaderOf(String topic, int partition) {
    return Topics.leader(admin(), topic, partition, ADMIN_TIMEOUT)
        .map(n -> brokerIds.indexOf(n.id()) + 1)
        .orElse(-1);
  }

  /**
   * Creates a database named after {@code prefix}, a number and this JVM's token ({@code
   * network_partitions_1xk3f9a}); returns its name.
   */
  @Override
  public String newDatabase(String prefix) {
    // the token ends the name: the run id (the scenario and what follows the last '_') names
    // cluster-wide things too, such as the debezium pipeline's replication slot
    String name = LocalInfrastructure.databaseName(prefix, databases.incrementAndGet()) + token;
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new BadInputException(
          "database name '" + name + "' must match " + DATABASE_NAME.pattern());
    }
    try (Connection c = connectDirect(settings, adminDatabase(settings));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create database "
              + name
              + " on "
              + postgresAddress(settings)
              + ": "
              + e.getMessage(),
          e);
    }
    return name;
  }

  /** The harness does not own these servers: no process faults on them. */
  @Override
  public Optional<ServerControl> serverControl() {
    return Optional.empty();
  }

  /** The servers' logs are wherever their owner keeps them: nothing is copied. */
  @Override
  public List<Path> archiveLogs(Path into, int maxBytes) {
    return List.of();
  }

  /**
   * Deletes the proxies this instance created and closes its admin client; servers keep running.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      links.close();
    } finally {
      admin.close(Duration.ofSeconds(5));
    }
  }

  // ------------------------------------------------------------------------------------------

  static String jdbcUrl(String host, int port, String database, String user, String password) {
    String url =
        "jdbc:postgresql://"
            + new HostPort(host, port)
            + "/"
            + database
            + "?user="
            + URLEncoder.encode(user, StandardCharsets.UTF_8);
    return password.isEmpty()
        ? url
        : url + "&password=" + URLEncoder.encode(password, StandardCharsets.UTF_8);
  }

  private String jdbcUrl(String host, int port, String database) {
    return jdbcUrl(host, port, database, settings.postgresUser(), settings.postgresPassword());
  }

  private static String adminDatabase(ExternalSettings s) {
    String path = URI.create(s.postgresUrl().substring("jdbc:".length())).getPath();
    return path == null || path.length() <= 1 ? "postgres" : path.substring(1);
  }

  private static String postgresAddress(ExternalSettings s) {
    return s.postgresUrl().replaceAll("password=[^&]*", "password=***");
  }

  private static Connection connectDirect(ExternalSettings s, String database) throws SQLException {
    return connect(
        jdbcUrl(
            s.postgresHost(), s.postgresPort(), database, s.postgresUser(), s.postgresPassword()));
  }

  private static Connection connect(String url) throws SQLException {
    Properties props = new Properties();
    props.setProperty("connectTimeout", Long.toString(CONNECT.toSeconds()));
    props.setProperty("loginTimeout", Long.toString(CONNECT.toSeconds()));
    props.setProperty("socketTimeout", "30");
    return DriverManager.getConnection(url, props);
  }

  private static void requireToxiproxy(URI api) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT).build();
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(api.resolve("/version")).timeout(CONNECT).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new BadInputException(
            "Toxiproxy at "
                + api
                + " answered /version with HTTP "
                + r.statusCode()
                + ": is it a Toxiproxy API? (toxiproxy.url, CDC_CHAOS_TOXIPROXY_URL)");
      }
    } catch (IOException e) {
      throw new BadInputException(
          "cannot reach Toxiproxy at "
              + api
              + ": "
              + describe(e)
              + " (toxiproxy.url, CDC_CHAOS_TOXIPROXY_URL)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted reaching Toxiproxy at " + api);
    }
  }

  private static void requirePostgres(ExternalSettings s) {
    try (Connection c = connectDirect(s, adminDatabase(s))) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new BadInputException(
          "cannot reach Postgres at "
              + postgresAddress(s)
              + ": "
              + firstLine(e.getMessage())
              + " (postgres.url, CDC_CHAOS_POSTGRES_URL)");
    }
  }

  private static List<Integer> brokerIds(Admin admin, String what, String settingNames) {
    try {
      Collection<org.apache.kafka.common.Node> nodes =
          admin
              .describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
              .nodes()
              .get(12, TimeUnit.SECONDS);
      return nodes.stream().map(org.apache.kafka.common.Node::id).sorted().toList();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new BadInputException(
          "cannot reach "
              + what
              + ": "
              + firstLine(String.valueOf(cause.getMessage()))
              + settingNames);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted reaching " + what);
    }
  }

  private static List<Advertised> nodesSeenThrough(String bootstrap, String what) {
    try (Admin a = Admin.create(adminConfig(bootstrap))) {
      return a
          .describeCluster(new DescribeClusterOptions().timeoutMs(10_000))
          .nodes()
          .get(12, TimeUnit.SECONDS)
          .stream()
          .map(n -> new Advertised(n.host(), n.port()))
          .toList();
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      throw new BadInputException(
          "cannot reach " + what + ": " + firstLine(String.valueOf(cause.getMessage())));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BadInputException("interrupted reaching " + what);
    }
  }

  /** A broker address as the brokers advertise it. */
  private record Advertised(String host, int port) {}

  /**
   * Postgres answers through both its proxies, and on each Kafka link the brokers advertise exactly
   * the proxies' addresses, so that no client bypasses a proxy after its bootstrap.
   */
  private void requireProxiesReachServers() {
    for (String link : POSTGRES_LINKS) {
      try (Connection c = connect(jdbcUrl(link, adminDatabase(settings)))) {
        c.isValid(5);
      } catch (SQLException e) {
        throw new BadInputException(
            "Postgres does not answer through Toxiproxy's proxy for "
                + link
                + " ("
                + settings.proxyHost()
                + ":"
                + postgresPort(link)
                + " -> "
                + settings.postgresUpstream()
                + "): "
                + firstLine(e.getMessage())
                + "; set postgres.upstream (CDC_CHAOS_POSTGRES_UPSTREAM) to Postgres's address as"
                + " the Toxiproxy host reaches it");
      }
    }
    for (String link : KAFKA_LINKS) {
      String through = bootstrap(link);
      List<Advertised> advertised =
          nodesSeenThrough(
              through, "Kafka through Toxiproxy's proxies for " + link + " (" + through + ")");
      Set<Integer> proxied = new TreeSet<>(kafkaProxyPorts.get(link));
      Set<Integer> seen = new TreeSet<>();
      List<String> bypass = new ArrayList<>();
      for (Advertised n : advertised) {
        seen.add(n.port());
        if (!proxied.contains(n.port()) || !sameHost(n.host(), settings.proxyHost())) {
          bypass.add(n.host() + ":" + n.port());
        }
      }
      if (!bypass.isEmpty() || !seen.equals(proxied)) {
        throw new BadInputException(
            "on the listener behind "
                + link
                + " the brokers advertise "
                + advertised.stream().map(n -> n.host() + ":" + n.port()).toList()
                + ", but its proxies are "
                + through
                + ": clients would bypass the proxies. Make each broker advertise "
                + settings.proxyHost()
                + " and the listen port of its proxy on that listener (advertised.listeners), as"
                + " docker-compose.yml does");
      }
    }
  }

  private static boolean sameHost(String a, String b) {
    if (a.equalsIgnoreCase(b)) {
      return true;
    }
    try {
      InetAddress x = InetAddress.getByName(a);
      InetAddress y = InetAddress.getByName(b);
      return x.equals(y) || (x.isLoopbackAddress() && y.isLoopbackAddress());
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static List<Integer> routeBrokers(
      Links links, String link, List<HostPort> listen, List<HostPort> upstream) {
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < listen.size(); i++) {
      ports.add(links.route(link, listen.get(i).toString(), upstream.get(i).toString()));
    }
    return ports;
  }

  private static Properties adminConfig(String bootstrap) {
    Properties p = KafkaNode.adminConfig(bootstrap);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "cdc-chaos-external");
    return p;
  }

  /**
   * An {@code x} and five base-36 characters, different in every JVM: databases, and the run ids
   * made from their names, never collide between harnesses sharing the servers.
   */
  private static String token() {
    long n = new SecureRandom().nextLong() & Long.MAX_VALUE;
    String t = Long.toString(n, 36);
    return "x" + t.substring(0, Math.min(5, t.length()));
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer within " + CONNECT.toSeconds() + " s";
    }
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : firstLine(m);
  }

  private static String firstLine(String m) {
    if (m == null) {
      return "no message";
    }
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
