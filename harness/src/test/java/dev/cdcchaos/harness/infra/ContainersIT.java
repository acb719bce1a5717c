package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/**
 * The {@code containers} mode on the local Docker engine, with the project's own images ({@code
 * docker/build-images.sh}, tags in {@code docker/images.env}) standing in for the official ones: a
 * real scenario end to end, with a network fault on a Toxiproxy proxy and SIGKILLs of the Postgres
 * and broker containers, must be VALID, every fault must have taken effect, and every container
 * must be gone afterwards.
 *
 * <p>Skipped, saying why, where there is no engine or the images have not been built; never failed
 * for that, never passed without running.
 */
class ContainersIT {
  private static ContainersInfrastructure infra;

  static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  /** {@code docker/images.env}: the local tags, KEY=VALUE lines. */
  static Map<String, String> localImages() throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(projectDir().resolve("docker").resolve("images.env"))) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#") && l.contains("=")) {
        env.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1));
      }
    }
    return env;
  }

  /**
   * Checked before each test, not in a {@code @BeforeAll}: an assumption failing there is reported
   * by Maven as zero tests run rather than as skipped tests, which would look like a pass.
   */
  @BeforeEach
  void engineAndImages() throws IOException {
    try {
      ContainersInfrastructure.requireEngine();
    } catch (dev.cdcchaos.harness.BadInputException e) {
      assumeTrue(false, "containers IT skipped: " + e.getMessage());
    }
    Map<String, String> images = localImages();
    DockerClient docker = DockerClientFactory.instance().client();
    for (String key : List.of("POSTGRES_IMAGE", "KAFKA_IMAGE", "TOXIPROXY_IMAGE")) {
      String image = images.get(key);
      boolean present;
      try {
        docker.inspectImageCmd(image).exec();
        present = true;
      } catch (NotFoundException e) {
        present = false;
      }
      assumeTrue(
          present,
          () ->
              "containers IT skipped: image "
                  + image
                  + " is missing; build it with docker/build-images.sh (no registry is used)");
    }
    boolean ryukDisabled = "true".equalsIgnoreCase(System.getenv("TESTCONTAINERS_RYUK_DISABLED"));
    assumeTrue(
        ryukDisabled || imagePresent(docker, "testcontainers/ryuk"),
        "containers IT skipped: Ryuk is enabled but its image testcontainers/ryuk is not here;"
            + " set TESTCONTAINERS_RYUK_DISABLED=true (the harness removes its containers itself)");
    System.setProperty(ContainerImages.POSTGRES_PROPERTY, images.get("POSTGRES_IMAGE"));
    System.setProperty(ContainerImages.KAFKA_PROPERTY, images.get("KAFKA_IMAGE"));
    System.setProperty(ContainerImages.TOXIPROXY_PROPERTY, images.get("TOXIPROXY_IMAGE"));
  }

  private static boolean imagePresent(DockerClient docker, String repository) {
    return docker.listImagesCmd().withImageNameFilter(repository).exec().stream()
        .findAny()
        .isPresent();
  }

  @AfterAll
  static void everyContainerIsGone() {
    if (infra == null) {
      return;
    }
    infra.close();
    String owner = Long.toString(ProcessHandle.current().pid());
    List<String> left =
        DockerClientFactory.instance()
            .client()
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ContainersInfrastructure.OWNER_LABEL, owner))
            .exec()
            .stream()
            .map(c -> String.join(",", c.getNames()))
            .toList();
    assertThat(left).as("containers left behind by this JVM").isEmpty();
  }

  @Test
  void aKilledPostgresContainerIsStartedAgainWithItsDataAndAPausedBrokerIsFrozen()
      throws Exception {
    infra = ContainersInfrastructure.shared(1);
    String db = infra.newDatabase("containers_kill");
    try (var c = java.sql.DriverManager.getConnection(infra.directJdbcUrl(db));
        var s = c.createStatement()) {
      s.execute("CREATE TABLE kept (id int primary key)");
      s.execute("INSERT INTO kept VALUES (42)");
    }
    Node postgres = infra.serverControl().orElseThrow().node("postgres");
    String id = infra.container("postgres").getContainerId();
    long pid = postgres.pid().orElseThrow();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);

    postgres.kill();
    assertThat(postgres.isRunning()).isFalse();
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
        .as("the server process (the container's PID 1, pid %d here) is gone", pid)
        .isFalse();
    long started = System.nanoTime();
    postgres.start();
    long startMs = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        "[containers] Postgres container started again and answering in " + startMs + " ms");
    assertThat(infra.container("postgres").getContainerId()).as("the same container").isEqualTo(id);
    try (var c =
            java.sql.DriverManager.getConnection(
                infra.jdbcUrl(dev.cdcchaos.harness.net.Links.WRITER_TO_POSTGRES, db));
        var s = c.createStatement();
        var r = s.executeQuery("SELECT id FROM kept")) {
      assertThat(r.next()).as("the row written before the kill").isTrue();
      assertThat(r.getInt(1)).isEqualTo(42);
    }

    ContainerNode broker = (ContainerNode) infra.serverControl().orElseThrow().node("kafka-1");
    broker.pause();
    try {
      assertThat(broker.isPaused()).isTrue();
      assertThat(broker.seenPaused()).as("what the pause fault's probe reads").contains(true);
      assertThat(broker.isRunning()).as("a paused container is alive").isTrue();
    } finally {
      broker.resume();
    }
    assertThat(broker.isPaused()).isFalse();
    assertThat(broker.seenPaused()).contains(false);

    // what a run that is not valid archives: each server's output, the kill and restart included
    Path logs = Files.createTempDirectory("containers-logs");
    assertThat(infra.archiveLogs(logs, 1 << 20))
        .extracting(p -> p.getFileName().toString())
        .containsExactly("postgres.log", "kafka-1.log");
    assertThat(Files.readString(logs.resolve("postgres.log")))
        .contains("database system was interrupted");
  }

  @Test
  void containersOfAJvmThatDiedWithoutItsShutdownHookAreRemovedByTheNextStart() {
    DockerClient docker = DockerClientFactory.instance().client();
    long dead =
        ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1) + 100_000;
    String id =
        docker
            .createContainerCmd(baseImage())
            .withCmd("sleep", "300")
            .withLabels(Map.of(ContainersInfrastructure.OWNER_LABEL, Long.toString(dead)))
            .exec()
            .getId();
    try {
      docker.startContainerCmd(id).exec();
      ContainersInfrastructure.reapOrphans();
      assertThat(docker.listContainersCmd().withShowAll(true).withIdFilter(List.of(id)).exec())
          .as("the orphan of pid %d", dead)
          .isEmpty();
    } finally {
      try {
        docker.removeContainerCmd(id).withForce(true).exec();
      } catch (NotFoundException e) {
        // removed by the reaper, as it should be
      }
    }
  }

  private static String baseImage() {
    try {
      return localImages().get("BASE_IMAGE");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aScenarioWithAPartitionAndContainerKillsIsValid() throws IOException {
    Path file =
        projectDir().resolve("harness/src/test/resources/containers/partition-and-kills.yaml");
    Scenario scenario = ScenarioLoader.load(file);
    RunOptions options =
        new RunOptions(
            projectDir().resolve("reports"),
            Optional.empty(),
            brokers -> {
              infra = ContainersInfrastructure.shared(brokers);
              return infra;
            },
            line -> System.out.println("[containers] " + line),
            true);
    RunOutcome outcome = new ScenarioRunner(options).run(scenario);

    assertThat(infra).as("the run used the containers infrastructure").isNotNull();
    assertThat(infra.mode()).isEqualTo(Mode.CONTAINERS);
    assertThat(infra.describe()).contains("containers:").contains("cdc-chaos/kafka");
    List<FaultEffect> effects = outcome.report().effects();
    assertThat(effects).as("the four faults of the file").hasSize(4);
    assertThat(effects)
        .as("every fault took effect (report %s)", outcome.runDir())
        .allSatisfy(e -> assertThat(e.tookEffect()).as(e.fault() + ": " + e.evidence()).isTrue());
    assertThat(outcome.verdict().overall())
        .as("verdict of %s", outcome.runDir())
        .isEqualTo(Verdict.VALID);
    // the killed containers were started again, not replaced
    for (String node : List.of("postgres", "kafka-1")) {
      var state =
          DockerClientFactory.instance()
              .client()
              .inspectContainerCmd(infra.container(node).getContainerId())
              .exec()
              .getState();
      assertThat(state.getRunning()).as(node + " runs again").isTrue();
      assertThat(state.getStartedAt()).as(node + " was started again after its kill").isNotNull();
    }
  }
}
