package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.net.Links;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;

/**
 * The servers one run uses: a Postgres, a Kafka cluster and a Toxiproxy API with every client link
 * routed through named proxies ({@code writer->postgres}, {@code publisher->postgres} in front of
 * Postgres; {@code publisher->kafka}, {@code consumer->kafka} in front of every broker). Runs on
 * one instance isolate themselves by database ({@link #newDatabase}), topic, consumer group and
 * folder.
 *
 * <p>Three implementations, chosen by {@link Mode}: {@link LocalInfrastructure} starts the servers
 * from local binaries, {@code containers} in Docker, {@code ExternalInfrastructure} connects to
 * servers someone else runs. Killing, pausing and restarting the servers is a capability only the
 * modes that own the processes have: {@link #serverControl()}.
 */
public interface Infrastructure extends AutoCloseable {
  /** The links in front of Postgres. */
  List<String> POSTGRES_LINKS = List.of(Links.WRITER_TO_POSTGRES, Links.PUBLISHER_TO_POSTGRES);

  /** The links in front of every Kafka broker. */
  List<String> KAFKA_LINKS = List.of(Links.PUBLISHER_TO_KAFKA, Links.CONSUMER_TO_KAFKA);

  /** Which implementation this is. */
  Mode mode();

  /** One line for progress output and reports: where the servers are. */
  String describe();

  /** How many Kafka brokers the cluster has. */
  int brokers();

  /** The network faults, per link, on this infrastructure's Toxiproxy. */
  Links links();

  /**
   * A JDBC URL for {@code database} through {@code link}'s proxy (e.g. {@code writer->postgres}),
   * with the user (and password) in it.
   */
  String jdbcUrl(String link, String database);

  /** The host clients of {@code link}'s proxy in front of Postgres connect to. */
  String postgresHost(String link);

  /** The port of {@code link}'s proxy in front of Postgres (e.g. {@code publisher->postgres}). */
  int postgresPort(String link);

  /** The Postgres user every URL of this infrastructure logs in as. */
  String postgresUser();

  /** That user's password; empty when none is needed. */
  String postgresPassword();

  /** Kafka bootstrap servers through {@code link}'s proxies (e.g. {@code consumer->kafka}). */
  String bootstrap(String link);

  /** A JDBC URL for {@code database} straight to Postgres, for set-up and checks. */
  String directJdbcUrl(String database);

  /** Kafka bootstrap servers straight to the brokers, for set-up and checks. */
  String directBootstrap();

  /** An admin client on the direct bootstrap, owned by the infrastructure (do not close it). */
  Admin admin();

  /** Creates a topic and waits until every partition has a leader. */
  void createTopic(String name, int partitions, int replicationFactor, Map<String, String> configs);

  /** The broker number (from 1) leading {@code topic}'s {@code partition}, or -1 without one. */
  int leaderOf(String topic, int partition);

  /** Creates a fresh database named after {@code prefix} and returns its name. */
  String newDatabase(String prefix);

  /**
   * Kill, pause, resume and restart of the servers, when this infrastructure owns their processes
   * (or containers); empty when it does not, and process faults on Postgres or a broker are then
   * not applicable.
   */
  Optional<ServerControl> serverControl();

  /**
   * Heals every link and, where the servers are under control, brings paused or stopped ones back,
   * so the next run starts clean.
   */
  default void healAll() {
    links().healAll();
    serverControl()
        .ifPresent(
            control -> {
              for (Node node : control.nodes()) {
                node.resume();
                if (!node.isRunning()) {
                  node.start();
                }
              }
            });
  }

  /**
   * Copies the end of each server's log into {@code into} and returns the files written; none when
   * the logs are not reachable from here.
   */
  List<Path> archiveLogs(Path into, int maxBytes);

  /** Stops what this infrastructure started and releases its clients and proxies. */
  @Override
  void close();
}
