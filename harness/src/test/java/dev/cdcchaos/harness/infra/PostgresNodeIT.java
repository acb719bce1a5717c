package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresNodeIT {
  private static PostgresNode postgres;
  private static long startMillis;

  @BeforeAll
  static void startPostgres() {
    postgres = PostgresNode.create(WorkDirs.fresh("pg"));
    long t0 = System.nanoTime();
    postgres.start();
    startMillis = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("postgres " + postgres.version() + " init + start: " + startMillis + " ms");
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      long t0 = System.nanoTime();
      postgres.stop();
      System.out.println("postgres stop: " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      assertThat(postgres.isRunning()).as("stop() must end the server").isFalse();
    }
  }

  @Test
  void startsQuicklyAndAnswersSql() throws SQLException {
    assertThat(startMillis)
        .as("initdb + start should take at most a few seconds")
        .isLessThan(10_000);
    postgres.createDatabase("answers");
    try (Connection c = postgres.connect("answers");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database(), 6 * 7")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).as("connected to the database just created").isEqualTo("answers");
      assertThat(rs.getInt(2)).isEqualTo(42);
    }
    assertThat(postgres.jdbcUrl("answers"))
        .isEqualTo("jdbc:postgresql://127.0.0.1:" + postgres.port() + "/answers?user=postgres");
  }

  @Test
  void committedDataSurvivesKillNineAndRestart() throws Exception {
    postgres.createDatabase("crash");
    try (Connection c = postgres.connect("crash");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id int PRIMARY KEY, v text)");
      s.execute("INSERT INTO t SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
    }
    long pid = postgres.pid().orElseThrow();
    Connection open = postgres.connect("crash");

    postgres.kill();

    assertThat(postgres.isRunning()).as("kill() must take the server down").isFalse();
    assertThat(ProcessHandle.of(pid).map(ChildProcesses::isGone).orElse(true))
        .as("the postmaster must be gone after SIGKILL")
        .isTrue();
    assertThatThrownBy(() -> open.createStatement().executeQuery("SELECT 1"))
        .as("an open connection must fail once the server is killed")
        .isInstanceOf(SQLException.class);
    open.close();

    postgres.start();

    assertThat(postgres.pid().orElseThrow()).as("a new postmaster").isNotEqualTo(pid);
    try (Connection c = postgres.connect("crash");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*), max(v) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).as("committed rows survive kill -9 and restart").isEqualTo(1000);
      assertThat(rs.getString(2)).isEqualTo("row 999");
    }

    postgres.restart();
    try (Connection c = postgres.connect("crash");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
      rs.next();
      assertThat(rs.getInt(1)).as("rows survive a graceful restart").isEqualTo(1000);
    }
  }

  @Test
  void pauseStallsAQueryAndResumeCompletesIt() throws Exception {
    try (Connection c = postgres.connect("postgres")) {
      postgres.pause();
      CompletableFuture<Integer> query;
      try {
        query =
            CompletableFuture.supplyAsync(
                () -> {
                  try (Statement s = c.createStatement();
                      ResultSet rs = s.executeQuery("SELECT 7")) {
                    rs.next();
                    return rs.getInt(1);
                  } catch (SQLException e) {
                    throw new IllegalStateException(e);
                  }
                });
        Thread.sleep(1_000);
        assertThat(query).as("a query against a paused (SIGSTOP) server must stall").isNotDone();
      } finally {
        postgres.resume();
      }
      assertThat(query.get(10, TimeUnit.SECONDS))
          .as("the stalled query completes after SIGCONT")
          .isEqualTo(7);
    }
  }

  @Test
  void aBusyPortIsReportedAsBadInput() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Path dir = WorkDirs.fresh("pg-busy");
      PostgresNode blocked = PostgresNode.create(dir, busy.getLocalPort());
      assertThatThrownBy(blocked::start)
          .as("starting on a port that is in use must say so")
          .isInstanceOf(BadInputException.class)
          .hasMessageContaining(Integer.toString(busy.getLocalPort()))
          .hasMessageContaining("in use");
      assertThat(blocked.isRunning()).isFalse();
      assertThat(Files.exists(dir.resolve("data/PG_VERSION")))
          .as("the port is checked before initdb")
          .isFalse();
    }
  }
}
