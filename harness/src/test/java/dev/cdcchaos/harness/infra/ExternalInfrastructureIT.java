package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.net.ToxiproxyServer;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code external} mode against servers started beforehand, with local mode's parts standing in for
 * "someone else's servers": a Postgres, a one-broker Kafka whose client listeners advertise the
 * ports the harness's proxies will listen on (as docker-compose.yml's broker does), and a Toxiproxy
 * API server, each started here and handed to the harness only as addresses in a settings file.
 */
class ExternalInfrastructureIT {
  private static PostgresNode postgres;
  private static KafkaCluster kafka;
  private static ToxiproxyServer toxiproxy;
  private static ExternalInfrastructure infra;
  private static Path dir;
  private static final Map<String, Integer> PROXY_PORTS = new LinkedHashMap<>();
  private static final Map<String, Integer> BROKER_PORTS = new ConcurrentHashMap<>();

  static Path projectDir() {
    String d = System.getProperty("cdcchaos.projectDir");
    return d == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(d);
  }

  @BeforeAll
  static void someoneElsesServers() {
    dir = WorkDirs.fresh("external");
    toxiproxy = ToxiproxyServer.start();
    postgres = PostgresNode.create(dir.resolve("postgres"));
    postgres.start();
    for (String link : Infrastructure.KAFKA_LINKS) {
      PROXY_PORTS.put(link, Ports.free());
    }
    // the broker advertises the port the proxy of each link will listen on, and tells us where it
    // listens itself: the upstream of that proxy
    LinkRouter advertiseProxyPorts =
        (link, host, port) -> {
          BROKER_PORTS.put(link, port);
          return PROXY_PORTS.get(link);
        };
    kafka =
        KafkaCluster.builder(dir.resolve("kafka"))
            .brokers(1)
            .clientLinks(Infrastructure.KAFKA_LINKS)
            .router(advertiseProxyPorts)
            .build();
    kafka.start();
    infra =
        ExternalInfrastructure.connect(
            ExternalSettings.load(Optional.of(settings(Map.of())), Map.of()));
  }

  @AfterAll
  static void stopThem() {
    try {
      if (infra != null) {
        infra.close();
      }
    } finally {
      try {
        if (kafka != null) {
          kafka.close();
        }
      } finally {
        try {
          if (postgres != null) {
            postgres.stop();
          }
        } finally {
          if (toxiproxy != null) {
            toxiproxy.close();
          }
        }
      }
    }
  }

  /** The settings of the servers above, with {@code overrides}; the environment is not read. */
  private static Path settings(Map<String, String> overrides) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("postgres.url", "jdbc:postgresql://127.0.0.1:" + postgres.port() + "/postgres");
    s.put("postgres.user", "postgres");
    s.put("postgres.password", "");
    s.put("postgres.upstream", "127.0.0.1:" + postgres.port());
    s.put("kafka.bootstrap", kafka.bootstrapServers());
    s.put("toxiproxy.url", toxiproxy.url());
    s.put("proxy.writer-postgres.listen", "127.0.0.1:0");
    s.put("proxy.publisher-postgres.listen", "127.0.0.1:0");
    s.put("proxy.publisher-kafka.listen", "127.0.0.1:" + PROXY_PORTS.get(Links.PUBLISHER_TO_KAFKA));
    s.put(
        "proxy.publisher-kafka.upstream",
        "127.0.0.1:" + BROKER_PORTS.get(Links.PUBLISHER_TO_KAFKA));
    s.put("proxy.consumer-kafka.listen", "127.0.0.1:" + PROXY_PORTS.get(Links.CONSUMER_TO_KAFKA));
    s.put(
        "proxy.consumer-kafka.upstream", "127.0.0.1:" + BROKER_PORTS.get(Links.CONSUMER_TO_KAFKA));
    s.putAll(overrides);
    try {
      Path file = Files.createTempFile(dir, "external-", ".properties");
      Files.writeString(
          file,
          s.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("\n"))
              + "\n");
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static RunOutcome run(String scenarioFile, String reports) {
    return run(
        ScenarioLoader.load(projectDir().resolve("scenarios").resolve(scenarioFile)), reports);
  }

  private static RunOutcome run(Scenario scenario, String reports) {
    return new ScenarioRunner(
            RunOptions.defaults(dir.resolve(reports)).withInfrastructure(brokers -> infra))
        .run(scenario);
  }

  /**
   * A partition of each kind of link, each triggered by progress so that it meets traffic however
   * slow the machine is (a time trigger may fire while the publisher has nothing to send yet).
   */
  private static final String NETWORK_FAULTS =
      String.join(
          "\n",
          "description: A partition of every kind of link, on servers the harness does not own.",
          "seed: 7",
          "workload: { orders: 200, updates_per_order: 4, writers: 4, rate_per_s: 400 }",
          "pipeline: { publisher_batch: 50, consumer_batch: 100 }",
          "faults:",
          "  - { at: { events_published: 100 }, partition: publisher->kafka, for: 1500ms }",
          "  - { at: { events_applied: 300 }, partition: consumer->kafka, for: 1500ms }",
          "  - { at: { events_committed: 600 }, partition: publisher->postgres, mode: down, for: 1s }",
          "reads: { every: 100ms }",
          "expect: { invariants: all, converge_within: 45s }",
          "");

  @Test
  void networkFaultsThroughTheGivenToxiproxyAreValid() throws SQLException {
    RunOutcome outcome =
        run(
            ScenarioLoader.parse(NETWORK_FAULTS, "external-network-faults.yaml"),
            "reports-network");

    assertThat(outcome.verdict().overall())
        .as("report %s: %s", outcome.runDir(), outcome.verdict().results())
        .isEqualTo(Verdict.VALID);
    assertThat(outcome.report().effects())
        .as("every partition took effect on the proxies the harness made on that Toxiproxy")
        .hasSize(3)
        .allMatch(e -> e.tookEffect());
    assertThat(outcome.report().settings().get("infrastructure")).startsWith("external:");
    String database = outcome.report().settings().get("database");
    try (Connection c = postgres.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM pg_database WHERE datname = '" + database + "'")) {
      rs.next();
      assertThat(rs.getInt(1))
          .as("the run made its own database %s on the given server", database)
          .isEqualTo(1);
    }
  }

  @Test
  void processFaultsOnServersTheHarnessDoesNotOwnAreNotApplicable() {
    OptionalLong before = postgres.pid();

    RunOutcome outcome = run("postgres-kill-and-pause.yaml", "reports-process");

    assertThat(outcome.verdict().overall()).isEqualTo(Verdict.NOT_APPLICABLE);
    CheckResult why = outcome.verdict().results().get(0);
    assertThat(why.summary())
        .contains("not applicable to external infrastructure")
        .contains("faults[0] kill postgres needs control of the server's process")
        .contains("faults[1] pause postgres");
    assertThat(postgres.pid()).as("nobody touched the server").isEqualTo(before);
    assertThat(postgres.isRunning()).isTrue();
  }

  @Test
  void aTopologyWithMoreBrokersThanTheClusterHasIsNotApplicable() {
    RunOutcome outcome = run("three-brokers-pause-and-partition.yaml", "reports-brokers");

    assertThat(outcome.verdict().overall()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(outcome.verdict().results().get(0).summary())
        .contains(
            "topology.brokers: 3 needs that many Kafka brokers; external infrastructure has 1");
  }

  @Test
  void brokersThatAdvertiseAddressesBypassingTheProxiesAreRefused() {
    int elsewhere = Ports.free();
    Path file =
        settings(
            Map.of(
                "proxy.publisher-kafka.listen", "127.0.0.1:" + elsewhere,
                "proxy.consumer-kafka.listen", "127.0.0.1:" + Ports.free()));
    List<Integer> before = proxiesOn(toxiproxy);

    assertThatThrownBy(
            () ->
                ExternalInfrastructure.connect(ExternalSettings.load(Optional.of(file), Map.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining(
            "on the listener behind publisher->kafka the brokers advertise [127.0.0.1:"
                + PROXY_PORTS.get(Links.PUBLISHER_TO_KAFKA)
                + "]")
        .hasMessageContaining("clients would bypass the proxies");
    assertThat(proxiesOn(toxiproxy))
        .as("the refused connection deleted the proxies it had made")
        .doesNotContain(elsewhere)
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void aKafkaThatDoesNotAnswerIsNamedWithItsAddress() throws IOException {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Path file = settings(Map.of("kafka.bootstrap", "127.0.0.1:" + closed));

    assertThatThrownBy(
            () ->
                ExternalInfrastructure.connect(ExternalSettings.load(Optional.of(file), Map.of())))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("cannot reach Kafka at 127.0.0.1:" + closed + ": ");
  }

  private static List<Integer> proxiesOn(ToxiproxyServer server) {
    List<Integer> ports = new ArrayList<>();
    try {
      for (var p :
          new eu.rekawek.toxiproxy.ToxiproxyClient(server.host(), server.port()).getProxies()) {
        String listen = p.getListen();
        ports.add(Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return ports;
  }
}
