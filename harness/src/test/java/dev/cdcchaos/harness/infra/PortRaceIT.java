package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.harness.net.ToxiproxyServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Another program takes a port the harness picked before the server binds it (a second cdc-chaos
 * run side by side): the server starts on a fresh port instead. A port the user asked for stays an
 * error. The ports are taken by sockets this test holds open, either before the pre-launch check or
 * between the check and the server's own bind (through the launch hooks), so the server's log is
 * what reveals the conflict.
 */
class PortRaceIT {
  private final List<ServerSocket> held = new ArrayList<>();

  @AfterEach
  void release() throws IOException {
    for (ServerSocket socket : held) {
      socket.close();
    }
  }

  @Test
  void postgresMovesOffAPickedPortThatIsAlreadyTaken() throws Exception {
    ServerSocket busy = hold(0);
    PostgresNode node =
        PostgresNode.createWithFirstPick(WorkDirs.fresh("pg-race-pick"), busy.getLocalPort());
    try {
      node.start();
      assertThat(node.port())
          .as("the server must have moved off the taken port")
          .isNotEqualTo(busy.getLocalPort());
      assertAnswers(node);
    } finally {
      node.kill();
    }
  }

  @Test
  void postgresMovesOffAPickedPortTakenBetweenCheckAndBind() throws Exception {
    PostgresNode node =
        PostgresNode.createWithFirstPick(WorkDirs.fresh("pg-race-bind"), Ports.free());
    AtomicInteger taken = new AtomicInteger();
    node.beforeLaunch(
        port -> {
          if (taken.get() == 0) {
            hold(port);
            taken.set(port);
          }
        });
    try {
      node.start();
      assertThat(taken.get()).as("the hook must have taken the first port").isPositive();
      assertThat(Files.readString(node.logFile()))
          .as("the first postmaster must have failed to bind (the case the log check catches)")
          .contains("could not bind");
      assertThat(node.port())
          .as("the server must have moved off the port taken after the check")
          .isNotEqualTo(taken.get());
      assertAnswers(node);
    } finally {
      node.kill();
    }
  }

  @Test
  void anExplicitPostgresPortTakenBetweenCheckAndBindStaysAClearError() throws Exception {
    int asked = Ports.free();
    PostgresNode node = PostgresNode.create(WorkDirs.fresh("pg-race-explicit"), asked);
    node.beforeLaunch(this::hold);
    try {
      assertThatThrownBy(node::start)
          .as("a port the user asked for must not be swapped for another one")
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining("127.0.0.1:" + asked)
          .hasMessageContaining("in use");
      assertThat(node.port()).as("the asked port is kept").isEqualTo(asked);
      assertThat(node.isRunning()).isFalse();
    } finally {
      node.kill();
    }
  }

  @Test
  void kafkaMovesAControllerPortTakenBetweenCheckAndBind() throws Exception {
    KafkaCluster cluster = KafkaCluster.builder(WorkDirs.fresh("kafka-race-controller")).build();
    KafkaNode node = cluster.node(1);
    AtomicInteger taken = new AtomicInteger();
    cluster.beforeLaunch(
        n -> {
          if (taken.get() == 0) {
            hold(n.controllerPort());
            taken.set(n.controllerPort());
          }
        });
    try {
      cluster.start();
      assertThat(Files.readString(node.logFile()))
          .as("the first broker JVM must have failed to bind the controller port")
          .contains("Address already in use");
      assertThat(node.controllerPort())
          .as("the controller listener must have moved off the taken port")
          .isNotEqualTo(taken.get());
      assertThat(Files.readString(node.propertiesFile()))
          .as("the voters must name the new controller port")
          .contains("1@127.0.0.1\\:" + node.controllerPort());
      cluster.createTopic("race", 1, 1, Map.of());
      assertThat(cluster.admin().listTopics().names().get(30, TimeUnit.SECONDS))
          .as("the moved cluster serves requests")
          .contains("race");
    } finally {
      cluster.close();
    }
  }

  @Test
  void kafkaMovesATakenClientLinkPortAndItsProxyFollows() throws Exception {
    ServerSocket busy = hold(0);
    // picks: controller port, internal port, then the consumer link's listener (the busy one)
    AtomicInteger picks = new AtomicInteger();
    try (ToxiproxyServer toxiproxy = ToxiproxyServer.start(11);
        Links links = new Links(toxiproxy.host(), toxiproxy.port())) {
      KafkaCluster cluster =
          KafkaCluster.builder(WorkDirs.fresh("kafka-race-link"))
              .clientLinks(List.of(Links.CONSUMER_TO_KAFKA))
              .router(LinkRouter.through(links))
              .portSource(() -> picks.incrementAndGet() == 3 ? busy.getLocalPort() : Ports.free())
              .build();
      KafkaNode node = cluster.node(1);
      int proxyPort = node.advertisedPort(Links.CONSUMER_TO_KAFKA);
      try {
        cluster.start();
        assertThat(node.listenPort(Links.CONSUMER_TO_KAFKA))
            .as("the link listener must have moved off the taken port")
            .isNotEqualTo(busy.getLocalPort());
        assertThat(node.advertisedPort(Links.CONSUMER_TO_KAFKA))
            .as("the link's proxy is moved, not replaced: clients keep its port")
            .isEqualTo(proxyPort);
        cluster.createTopic("race-link", 1, 1, Map.of());
        try (Admin admin =
            Admin.create(
                KafkaNode.adminConfig(cluster.bootstrapServers(Links.CONSUMER_TO_KAFKA)))) {
          Set<String> names = admin.listTopics().names().get(30, TimeUnit.SECONDS);
          assertThat(names)
              .as("a client through the link's proxy reaches the moved listener")
              .contains("race-link");
        }
      } finally {
        cluster.close();
      }
    }
  }

  private void assertAnswers(PostgresNode node) throws Exception {
    try (Connection c = node.connect("postgres");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_setting('port')::int")) {
      rs.next();
      assertThat(rs.getInt(1))
          .as("JDBC on the node's port must reach this node's server")
          .isEqualTo(node.port());
    }
  }

  /** Binds {@code port} (0: any) on 127.0.0.1 and keeps it until the test ends. */
  private ServerSocket hold(int port) {
    try {
      ServerSocket socket = new ServerSocket();
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      held.add(socket);
      return socket;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot take port " + port + " for the test", e);
    }
  }
}
