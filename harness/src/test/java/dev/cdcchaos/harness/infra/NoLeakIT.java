package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.net.Links;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Every process the harness starts is gone after close() and after its JVM exits. */
class NoLeakIT {

  @Test
  void aClosedInfrastructureLeavesNoProcessAndItsLinksWorkUntilThen() throws Exception {
    Path dir = WorkDirs.fresh("noleak");
    List<ProcessHandle> started = new ArrayList<>();
    try (LocalInfrastructure infra = LocalInfrastructure.start(dir, 1)) {
      for (Node node : infra.nodes()) {
        ProcessHandle root = ProcessHandle.of(node.pid().orElseThrow()).orElseThrow();
        started.add(root);
        started.addAll(root.descendants().toList());
      }
      assertThat(infra.node("postgres")).isSameAs(infra.postgres());
      assertThat(infra.node("kafka-1")).isSameAs(infra.kafka().node(1));

      String db = infra.newDatabase("no leak");
      try (Connection writer =
              DriverManager.getConnection(infra.jdbcUrl(Links.WRITER_TO_POSTGRES, db));
          Connection publisher =
              DriverManager.getConnection(infra.jdbcUrl(Links.PUBLISHER_TO_POSTGRES, db))) {
        assertThat(query(writer)).as("SQL through writer->postgres").isEqualTo(1);
        infra.links().partition(Links.WRITER_TO_POSTGRES);
        CompletableFuture<Integer> stalled = CompletableFuture.supplyAsync(() -> query(writer));
        assertThat(query(publisher))
            .as("publisher->postgres still works while writer->postgres is partitioned")
            .isEqualTo(1);
        Thread.sleep(500);
        assertThat(stalled).as("the partitioned writer's query stalls").isNotDone();
        infra.links().heal(Links.WRITER_TO_POSTGRES);
        // as in Toxiproxy, the timeout toxic dropped the query's bytes and healing closes the
        // connection: the stalled query ends (with an error) and a new connection works
        assertThat(stalled)
            .as("healing ends the stalled query")
            .failsWithin(30, TimeUnit.SECONDS)
            .withThrowableThat()
            .withRootCauseInstanceOf(java.io.EOFException.class);
      }
      try (Connection writer =
          DriverManager.getConnection(infra.jdbcUrl(Links.WRITER_TO_POSTGRES, db))) {
        assertThat(query(writer)).as("writer->postgres works again after healing").isEqualTo(1);
      }
    }

    assertThat(started).as("every node process and its children").hasSizeGreaterThan(5);
    for (ProcessHandle h : started) {
      assertThat(ChildProcesses.awaitExit(h, 5_000))
          .as("process %d (%s) must be gone after close()", h.pid(), h.info().commandLine())
          .isTrue();
    }
    assertThat(processesMentioning(dir)).as("no process still uses " + dir).isEmpty();
  }

  @Test
  void aJvmThatExitsWithoutClosingLeavesNoProcess() throws Exception {
    Path dir = WorkDirs.fresh("leaky");
    JavaProcess leaky =
        JavaProcess.builder("leaky", LeakyMain.class.getName())
            .args(dir.toString())
            .logFile(dir.resolve("leaky.log"))
            .workingDir(Path.of("").toAbsolutePath())
            .build();
    leaky.start();
    OptionalInt exit = leaky.awaitExit(Duration.ofSeconds(60));
    assertThat(exit).as("the child exits by itself; log:%n%s", leaky.logTail(20)).hasValue(3);

    List<Long> pids =
        Files.readAllLines(dir.resolve("pids.txt")).stream().map(Long::parseLong).toList();
    assertThat(pids).hasSize(2);
    for (long pid : pids) {
      assertThat(ProcessHandle.of(pid).map(h -> ChildProcesses.awaitExit(h, 5_000)).orElse(true))
          .as("the shutdown hook of the exited JVM killed process %d", pid)
          .isTrue();
    }
    assertThat(processesMentioning(dir)).as("no process still uses " + dir).isEmpty();
  }

  @Test
  void processesOfASharedInstanceWhoseJvmDiedAreReapedByTheNextOne() throws Exception {
    Path root = WorkDirs.fresh("orphans");
    Path orphanDir = Files.createDirectories(root.resolve("shared-1-dead"));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Files.writeString(orphanDir.resolve("owner.pid"), Long.toString(gone.pid()));
    JavaProcess orphan =
        JavaProcess.builder("orphan", TickingMain.class.getName())
            .args(orphanDir.toString())
            .logFile(root.resolve("orphan.log"))
            .build();
    orphan.start();
    Path aliveDir = Files.createDirectories(root.resolve("shared-1-alive"));
    Files.writeString(aliveDir.resolve("owner.pid"), Long.toString(ProcessHandle.current().pid()));

    LocalInfrastructure.reapOrphans(root);

    assertThat(orphan.isRunning())
        .as("a process named after the directory of a dead JVM is killed")
        .isFalse();
    assertThat(orphanDir).as("and its directory deleted").doesNotExist();
    assertThat(aliveDir).as("a live JVM's directory is left alone").exists();
  }

  private static List<String> processesMentioning(Path dir) {
    return ProcessHandle.allProcesses()
        .filter(h -> !ChildProcesses.isGone(h))
        .map(ChildProcesses::commandLine)
        .filter(c -> c.contains(dir.toString()))
        .toList();
  }

  private static int query(Connection c) {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1")) {
      rs.next();
      return rs.getInt(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
