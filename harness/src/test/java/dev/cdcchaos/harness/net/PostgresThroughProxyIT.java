package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.infra.PostgresNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A real protocol client (PostgreSQL JDBC) through a link of the in-JVM Toxiproxy. */
class PostgresThroughProxyIT {
  private static PostgresNode postgres;
  private static ToxiproxyServer server;
  private static Links links;
  private static int port;

  @BeforeAll
  static void start() throws Exception {
    Path root = Files.createDirectories(Path.of("target", "it-work").toAbsolutePath());
    postgres = PostgresNode.create(Files.createTempDirectory(root, "pg-net-"));
    postgres.start();
    server = ToxiproxyServer.start(3);
    links = new Links(server.host(), server.port());
    port = links.route(Links.WRITER_TO_POSTGRES, "127.0.0.1", postgres.port());
  }

  @AfterAll
  static void stop() {
    if (links != null) {
      links.close();
    }
    if (server != null) {
      server.close();
    }
    if (postgres != null) {
      postgres.stop();
    }
  }

  @AfterEach
  void heal() {
    links.healAll();
  }

  @Test
  void sqlRoundTripsThroughTheProxy() throws Exception {
    try (Connection connection = connect(10)) {
      assertThat(queryInt(connection, "SELECT 6 * 7")).isEqualTo(42);
    }
  }

  @Test
  void latencyShowsInEveryQuery() throws Exception {
    try (Connection connection = connect(10)) {
      queryInt(connection, "SELECT 1");
      links.latency(Links.WRITER_TO_POSTGRES, 100, 0);
      for (int i = 0; i < 3; i++) {
        long started = System.nanoTime();
        queryInt(connection, "SELECT 1");
        assertThat((System.nanoTime() - started) / 1_000_000)
            .as("query %d pays the 100 ms response latency", i)
            .isBetween(95L, 1000L);
      }
    }
  }

  @Test
  void partitionStallsAQueryUntilTheClientTimesOutAndHealLetsNewConnectionsIn() throws Exception {
    try (Connection connection = connect(1)) {
      queryInt(connection, "SELECT 1");
      links.partition(Links.WRITER_TO_POSTGRES);
      long started = System.nanoTime();
      assertThatThrownBy(() -> queryInt(connection, "SELECT 2"))
          .as("the query hangs until the 1 s socket timeout")
          .isInstanceOf(SQLException.class);
      assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(950);
    }
    links.heal(Links.WRITER_TO_POSTGRES);
    try (Connection connection = connect(10)) {
      assertThat(queryInt(connection, "SELECT 3")).as("healed link serves again").isEqualTo(3);
    }
  }

  @Test
  void resetPeerBreaksAnOpenConnection() throws Exception {
    try (Connection connection = connect(10)) {
      queryInt(connection, "SELECT 1");
      links.resetPeer(Links.WRITER_TO_POSTGRES, 0);
      assertThatThrownBy(() -> queryInt(connection, "SELECT 2"))
          .as("the connection is reset under the query")
          .isInstanceOf(SQLException.class);
    }
    links.heal(Links.WRITER_TO_POSTGRES);
    try (Connection connection = connect(10)) {
      assertThat(queryInt(connection, "SELECT 4")).isEqualTo(4);
    }
  }

  private static Connection connect(int socketTimeoutSeconds) throws SQLException {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", String.valueOf(socketTimeoutSeconds));
    return DriverManager.getConnection(PostgresNode.jdbcUrl("127.0.0.1", port, "postgres"), props);
  }

  private static int queryInt(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
