package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the servers of {@code external} mode are, and the proxies the harness creates on their
 * Toxiproxy. Every setting has a key (in a properties file given with {@code --infra-config FILE})
 * and an environment variable ({@code CDC_CHAOS_} and the key in upper case, dots and dashes as
 * underscores); a key in the file wins over the environment, the environment over the default. The
 * defaults are the servers of the repository's {@code docker-compose.yml}.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>key</th><th>environment</th><th>default (docker-compose.yml)</th></tr>
 *   <tr><td>postgres.url</td><td>CDC_CHAOS_POSTGRES_URL</td>
 *       <td>jdbc:postgresql://localhost:5432/postgres</td></tr>
 *   <tr><td>postgres.user</td><td>CDC_CHAOS_POSTGRES_USER</td><td>postgres</td></tr>
 *   <tr><td>postgres.password</td><td>CDC_CHAOS_POSTGRES_PASSWORD</td><td>postgres</td></tr>
 *   <tr><td>postgres.upstream</td><td>CDC_CHAOS_POSTGRES_UPSTREAM</td><td>postgres:5432</td></tr>
 *   <tr><td>kafka.bootstrap</td><td>CDC_CHAOS_KAFKA_BOOTSTRAP</td><td>localhost:9092</td></tr>
 *   <tr><td>toxiproxy.url</td><td>CDC_CHAOS_TOXIPROXY_URL</td><td>http://localhost:8474</td></tr>
 *   <tr><td>proxy.host</td><td>CDC_CHAOS_PROXY_HOST</td><td>the host of toxiproxy.url</td></tr>
 *   <tr><td>proxy.writer-postgres.listen</td><td>CDC_CHAOS_PROXY_WRITER_POSTGRES_LISTEN</td>
 *       <td>0.0.0.0:15432</td></tr>
 *   <tr><td>proxy.publisher-postgres.listen</td><td>CDC_CHAOS_PROXY_PUBLISHER_POSTGRES_LISTEN</td>
 *       <td>0.0.0.0:15433</td></tr>
 *   <tr><td>proxy.publisher-kafka.listen</td><td>CDC_CHAOS_PROXY_PUBLISHER_KAFKA_LISTEN</td>
 *       <td>0.0.0.0:19092</td></tr>
 *   <tr><td>proxy.publisher-kafka.upstream</td><td>CDC_CHAOS_PROXY_PUBLISHER_KAFKA_UPSTREAM</td>
 *       <td>kafka:19092</td></tr>
 *   <tr><td>proxy.consumer-kafka.listen</td><td>CDC_CHAOS_PROXY_CONSUMER_KAFKA_LISTEN</td>
 *       <td>0.0.0.0:29092</td></tr>
 *   <tr><td>proxy.consumer-kafka.upstream</td><td>CDC_CHAOS_PROXY_CONSUMER_KAFKA_UPSTREAM</td>
 *       <td>kafka:29092</td></tr>
 * </table>
 *
 * <p>{@code postgres.url} and {@code kafka.bootstrap} are the direct addresses the harness uses for
 * set-up and checks. A {@code listen} is the address the proxy binds on the Toxiproxy host (port 0:
 * any free port, for Postgres only); clients reach it at {@code proxy.host} and that port. An
 * {@code upstream} is the server as the Toxiproxy host reaches it. The Kafka settings list one
 * address per broker, comma-separated, in broker id order, and every broker must advertise, on the
 * listener behind a link's upstream, exactly {@code proxy.host} and that link's listen port: Kafka
 * clients connect to the addresses the brokers advertise, so only then do they stay behind the
 * proxies.
 */
public record ExternalSettings(
    String postgresUrl,
    String postgresUser,
    String postgresPassword,
    HostPort postgresUpstream,
    String kafkaBootstrap,
    URI toxiproxyUrl,
    String proxyHost,
    HostPort writerPostgresListen,
    HostPort publisherPostgresListen,
    List<HostPort> publisherKafkaListen,
    List<HostPort> publisherKafkaUpstream,
    List<HostPort> consumerKafkaListen,
    List<HostPort> consumerKafkaUpstream) {

  /** The system property naming the settings file where no {@code --infra-config} does. */
  public static final String FILE_PROPERTY = "cdcchaos.infraConfig";

  /** The environment variable naming the settings file where neither the option nor property do. */
  public static final String FILE_ENV = "CDC_CHAOS_INFRA_CONFIG";

  /** Every key with its default, in the order of the table above. */
  static final Map<String, String> DEFAULTS = defaults();

  private static Map<String, String> defaults() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("postgres.url", "jdbc:postgresql://localhost:5432/postgres");
    m.put("postgres.user", "postgres");
    m.put("postgres.password", "postgres");
    m.put("postgres.upstream", "postgres:5432");
    m.put("kafka.bootstrap", "localhost:9092");
    m.put("toxiproxy.url", "http://localhost:8474");
    m.put("proxy.host", "");
    m.put("proxy.writer-postgres.listen", "0.0.0.0:15432");
    m.put("proxy.publisher-postgres.listen", "0.0.0.0:15433");
    m.put("proxy.publisher-kafka.listen", "0.0.0.0:19092");
    m.put("proxy.publisher-kafka.upstream", "kafka:19092");
    m.put("proxy.consumer-kafka.listen", "0.0.0.0:29092");
    m.put("proxy.consumer-kafka.upstream", "kafka:29092");
    return java.util.Collections.unmodifiableMap(m);
  }

  /** A {@code host:port}; {@code [v6]:port} for IPv6 literals. */
  public record HostPort(String host, int port) {
    @Override
    public String toString() {
      return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
  }

  /**
   * The environment variable of {@code key}: {@code proxy.host} gives {@code CDC_CHAOS_PROXY_HOST}.
   */
  public static String envName(String key) {
    return "CDC_CHAOS_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  /**
   * The settings from {@code file} (when given) over the environment over the defaults.
   *
   * @throws BadInputException naming the file, key or variable of a value that is missing, unknown
   *     or malformed
   */
  public static ExternalSettings load(Optional<Path> file, Map<String, String> env) {
    Map<String, String> values = new LinkedHashMap<>();
    Map<String, String> origin = new LinkedHashMap<>();
    for (Map.Entry<String, String> d : DEFAULTS.entrySet()) {
      values.put(d.getKey(), d.getValue());
      origin.put(d.getKey(), "the default of " + d.getKey());
      String fromEnv = env.get(envName(d.getKey()));
      if (fromEnv != null && !fromEnv.isBlank()) {
        values.put(d.getKey(), fromEnv.strip());
        origin.put(d.getKey(), "environment variable " + envName(d.getKey()));
      }
    }
    if (file.isPresent()) {
      Path f = file.get();
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(f)) {
        p.load(in);
      } catch (IOException e) {
        throw new BadInputException("cannot read the infrastructure settings " + f + ": " + e, e);
      }
      for (String key : p.stringPropertyNames()) {
        if (!DEFAULTS.containsKey(key)) {
          throw new BadInputException(
              f
                  + ": unknown key '"
                  + key
                  + "'; the keys are "
                  + String.join(", ", DEFAULTS.keySet()));
        }
        values.put(key, p.getProperty(key).strip());
        origin.put(key, f + " key " + key);
      }
    }
    return parse(values, origin);
  }

  /**
   * The settings file named by {@code -Dcdcchaos.infraConfig}, else {@code CDC_CHAOS_INFRA_CONFIG}.
   */
  public static Optional<Path> configuredFile() {
    return Optional.ofNullable(System.getProperty(FILE_PROPERTY))
        .filter(v -> !v.isBlank())
        .or(() -> Optional.ofNullable(System.getenv(FILE_ENV)).filter(v -> !v.isBlank()))
        .map(Path::of);
  }

  private static ExternalSettings parse(Map<String, String> v, Map<String, String> origin) {
    Parser p = new Parser(v, origin);
    String postgresUrl = p.postgresUrl("postgres.url");
    String kafkaBootstrap = p.bootstrap("kafka.bootstrap");
    URI toxiproxy = p.httpUrl("toxiproxy.url");
    String proxyHost = v.get("proxy.host").isEmpty() ? toxiproxy.getHost() : v.get("proxy.host");
    List<HostPort> pkListen = p.list("proxy.publisher-kafka.listen", false);
    List<HostPort> pkUp = p.list("proxy.publisher-kafka.upstream", false);
    List<HostPort> ckListen = p.list("proxy.consumer-kafka.listen", false);
    List<HostPort> ckUp = p.list("proxy.consumer-kafka.upstream", false);
    int brokers = pkListen.size();
    for (String key :
        List.of(
            "proxy.publisher-kafka.upstream",
            "proxy.consumer-kafka.listen",
            "proxy.consumer-kafka.upstream")) {
      int n = p.list(key, false).size();
      if (n != brokers) {
        throw new BadInputException(
            origin.get(key)
                + " lists "
                + n
                + " address(es) but "
                + origin.get("proxy.publisher-kafka.listen")
                + " lists "
                + brokers
                + ": give one per broker, in broker id order");
      }
    }
    return new ExternalSettings(
        postgresUrl,
        p.nonEmpty("postgres.user"),
        v.get("postgres.password"),
        p.hostPort("postgres.upstream", false),
        kafkaBootstrap,
        toxiproxy,
        proxyHost,
        p.hostPort("proxy.writer-postgres.listen", true),
        p.hostPort("proxy.publisher-postgres.listen", true),
        pkListen,
        pkUp,
        ckListen,
        ckUp);
  }

  /** How many Kafka brokers the settings describe. */
  public int brokers() {
    return publisherKafkaListen.size();
  }

  /** The host of {@code postgres.url}. */
  public String postgresHost() {
    return postgresUri().getHost();
  }

  /** The port of {@code postgres.url} (5432 when it names none). */
  public int postgresPort() {
    int port = postgresUri().getPort();
    return port < 0 ? 5432 : port;
  }

  private URI postgresUri() {
    return URI.create(postgresUrl.substring("jdbc:".length()));
  }

  /** Validates values, naming where a bad one came from. */
  private record Parser(Map<String, String> values, Map<String, String> origin) {

    String nonEmpty(String key) {
      String value = values.get(key);
      if (value == null || value.isBlank()) {
        throw new BadInputException(origin.get(key) + " is empty");
      }
      return value;
    }

    String postgresUrl(String key) {
      String value = nonEmpty(key);
      String bad =
          origin.get(key)
              + " is '"
              + value
              + "', not a Postgres JDBC URL like jdbc:postgresql://db.example:5432/postgres";
      if (!value.startsWith("jdbc:postgresql://")) {
        throw new BadInputException(bad);
      }
      try {
        URI uri = new URI(value.substring("jdbc:".length()));
        if (uri.getHost() == null) {
          throw new BadInputException(bad);
        }
      } catch (URISyntaxException e) {
        throw new BadInputException(bad);
      }
      return value;
    }

    URI httpUrl(String key) {
      String value = nonEmpty(key);
      String bad =
          origin.get(key) + " is '" + value + "', not an http URL like http://localhost:8474";
      try {
        URI uri = new URI(value);
        if (!"http".equals(uri.getScheme()) || uri.getHost() == null || uri.getPort() < 0) {
          throw new BadInputException(bad + " (with its port)");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new BadInputException(bad);
      }
    }

    String bootstrap(String key) {
      list(key, false);
      return values.get(key).replace(" ", "");
    }

    List<HostPort> list(String key, boolean portZeroAllowed) {
      String value = nonEmpty(key);
      List<HostPort> out = new ArrayList<>();
      for (String part : value.split(",")) {
        out.add(hostPort(key, part.strip(), portZeroAllowed));
      }
      return List.copyOf(out);
    }

    HostPort hostPort(String key, boolean portZeroAllowed) {
      return hostPort(key, nonEmpty(key), portZeroAllowed);
    }

    private HostPort hostPort(String key, String value, boolean portZeroAllowed) {
      int colon = value.lastIndexOf(':');
      String host = colon > 0 ? value.substring(0, colon) : "";
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      int port = -1;
      try {
        port = colon > 0 ? Integer.parseInt(value.substring(colon + 1)) : -1;
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (host.isBlank() || port < (portZeroAllowed ? 0 : 1) || port > 65535) {
        throw new BadInputException(
            origin.get(key)
                + " has '"
                + value
                + "', not a host:port"
                + (portZeroAllowed ? " (port 0: any free port)" : " with a port from 1 to 65535"));
      }
      return new HostPort(host, port);
    }
  }
}
