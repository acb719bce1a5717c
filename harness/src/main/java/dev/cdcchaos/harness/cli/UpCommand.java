package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The quickstart's first step: a fresh local Postgres and Kafka in the foreground, their addresses
 * written to {@value ConnectionSettings#DEFAULT_FILE} for the other commands. Ctrl-C stops them and
 * removes the settings file.
 */
@Command(
    name = "up",
    description = "Start local Postgres + Kafka in the foreground (Ctrl-C stops them).")
public final class UpCommand implements Callable<Integer> {

  @Option(
      names = "--connection",
      paramLabel = "FILE",
      defaultValue = ConnectionSettings.DEFAULT_FILE,
      description = "where to write the connection settings (default: ${DEFAULT-VALUE})")
  Path connectionFile;

  @Option(
      names = "--data-dir",
      defaultValue = ".cdc-chaos/infra",
      description = "Postgres and Kafka data, wiped at start (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(names = "--partitions", defaultValue = "3", description = "partitions of the topic")
  int partitions;

  @Option(names = "--warehouse", defaultValue = "warehouse/warehouse.duckdb")
  String warehousePath;

  @Option(names = "--lake", defaultValue = "warehouse/lake")
  String lakePath;

  @Override
  public Integer call() throws Exception {
    deleteRecursively(dataDir);
    System.out.println("starting Postgres and Kafka under " + dataDir + " ...");
    LocalInfrastructure infra = LocalInfrastructure.start(dataDir, 1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    Files.deleteIfExists(connectionFile);
                  } catch (IOException ignored) {
                    // the settings only point at servers that are gone
                  }
                  infra.close();
                  System.out.println("stopped Postgres and Kafka");
                  stopped.countDown();
                },
                "up-shutdown"));
    ConnectionSettings settings =
        new ConnectionSettings(
            infra.directJdbcUrl("postgres"),
            infra.directBootstrap(),
            PipelineConfig.DEFAULT_TOPIC,
            warehousePath,
            lakePath);
    SourceSchema.apply(SourceDatabase.dataSource(settings.jdbcUrl()));
    infra.kafka().createTopic(settings.topic(), partitions, 1, Map.of());
    settings.save(connectionFile);
    System.out.println("Postgres: " + settings.jdbcUrl());
    System.out.println(
        "Kafka:    " + settings.kafkaBootstrap() + " (topic " + settings.topic() + ")");
    System.out.println("settings written to " + connectionFile);
    if (Files.exists(Path.of(warehousePath))) {
      System.out.println(
          "note: " + warehousePath + " is from an earlier run; delete warehouse/ to start clean");
    }
    System.out.println(
        "next, in another terminal: ./cdc-chaos seed --count 100 && ./cdc-chaos publish"
            + " && ./cdc-chaos consume && ./cdc-chaos query");
    System.out.println("Ctrl-C to stop");
    stopped.await();
    return Main.OK;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
