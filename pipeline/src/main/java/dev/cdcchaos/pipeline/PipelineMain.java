package dev.cdcchaos.pipeline;

import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.consumer.ConsumerSettings;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.publisher.PublisherService;
import dev.cdcchaos.pipeline.replay.Replay;
import dev.cdcchaos.pipeline.source.ScriptedWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The pipeline's process entry point, one role per JVM, as the harness runs it: {@code java -cp
 * <cp> dev.cdcchaos.pipeline.PipelineMain publisher --config FILE.json}. Exit codes: 0 after a
 * graceful stop (SIGTERM), 2 for a bad config, 1 for any other failure; a planned crash halts with
 * 137.
 */
@Command(
    name = "pipeline",
    mixinStandardHelpOptions = true,
    description = "Runs one role of the cdc-chaos reference pipeline.",
    subcommands = {
      PipelineMain.PublisherCommand.class,
      PipelineMain.ConsumerCommand.class,
      PipelineMain.WriterCommand.class,
      PipelineMain.ReplayCommand.class
    })
public final class PipelineMain {

  private static volatile boolean roleReturned;

  /** Bad config or arguments. */
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs without exiting, for tests. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new PipelineMain());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof IllegalArgumentException) {
            cmd.getErr().println("pipeline: " + ex.getMessage());
            return BAD_INPUT;
          }
          throw ex;
        });
    return cli.execute(args);
  }

  /** Runs until SIGTERM, then stops after the current batch and closes its clients. */
  @Command(name = "publisher", description = "Publishes the outbox to Kafka until terminated.")
  static final class PublisherCommand implements Callable<Integer> {
    @CommandLine.ArgGroup(multiplicity = "1")
    ConfigSource source;

    @Override
    public Integer call() throws Exception {
      PipelineConfig cfg = source.load();
      PublisherService service =
          new PublisherService(cfg, Control.open(cfg.controlPath()), Clock.systemUTC());
      onTerminate(
          () -> {
            try {
              if (!service.stop(Duration.ofSeconds(20))) {
                System.err.println("publisher: the current batch did not finish within 20 s");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            service.close();
          });
      System.err.println("publisher: started, variant " + cfg.variant() + ", topic " + cfg.topic());
      try {
        service.run();
      } finally {
        roleReturned = true;
      }
      return 0;
    }
  }

  /** Runs until SIGTERM, then finishes the batch in hand and closes the warehouse. */
  @Command(
      name = "consumer",
      description =
          "Consumes Kafka into the Parquet lake and the DuckDB warehouse until terminated.")
  static final class ConsumerCommand implements Callable<Integer> {
    @CommandLine.ArgGroup(multiplicity = "1")
    ConfigSource source;

    @Override
    public Integer call() {
      PipelineConfig cfg = source.load();
      ConsumerService service =
          new ConsumerService(
              consumerSettings(cfg),
              Control.open(cfg.controlPath()).crashPoints(),
              Clock.systemUTC());
      onTerminate(
          () -> {
            service.stop();
            try {
              if (!service.awaitStopped(Duration.ofSeconds(30))) {
                System.err.println("consumer: the batch in hand did not finish within 30 s");
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          });
      System.err.println("consumer: started, variant " + cfg.variant() + ", topic " + cfg.topic());
      try {
        service.run();
      } finally {
        roleReturned = true;
      }
      return 0;
    }
  }

  /**
   * The application's writer as a process: runs its script of order operations, journals each one's
   * outcome, then idles until SIGTERM (see {@link ScriptedWriter}).
   */
  @Command(
      name = "writer",
      description = "Writes a script of order operations (orders + outbox) until terminated.")
  static final class WriterCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "writer settings JSON file")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
      ScriptedWriter writer = new ScriptedWriter(ScriptedWriter.Settings.load(config));
      onTerminate(
          () -> {
            writer.stop();
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (!writer.finished() && System.nanoTime() < deadline) {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
              }
            }
          });
      System.err.println("writer: started");
      try {
        writer.run();
      } finally {
        roleReturned = true;
      }
      return 0;
    }
  }

  /** Rebuilds a fresh warehouse from the lake or from Kafka offset 0 and prints what it applied. */
  @Command(name = "replay", description = "Rebuilds a new warehouse from the lake or from Kafka.")
  static final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "pipeline config JSON file")
    Path config;

    @Option(names = "--from", required = true, description = "lake or kafka")
    String from;

    @Option(names = "--into", required = true, description = "the new DuckDB file (must not exist)")
    Path into;

    @Override
    public Integer call() {
      PipelineConfig cfg = PipelineConfig.load(config);
      if (java.nio.file.Files.exists(into)) {
        throw new IllegalArgumentException(
            "--into " + into + " exists; replay builds a new warehouse");
      }
      Replay.Result result =
          switch (from) {
            case "lake" -> Replay.fromLake(Path.of(cfg.lakePath()), into);
            case "kafka" -> Replay.fromKafka(cfg.kafkaBootstrap(), cfg.topic(), into);
            default ->
                throw new IllegalArgumentException(
                    "--from must be lake or kafka, was '" + from + "'");
          };
      System.out.printf(
          "{\"from\":\"%s\",\"into\":\"%s\",\"records\":%d,\"batches\":%d,\"applied\":%d,"
              + "\"duplicates\":%d,\"deadLettered\":%d,\"orders\":%d}%n",
          from,
          into,
          result.records(),
          result.batches(),
          result.totals().applied(),
          result.totals().duplicates(),
          result.totals().deadLettered(),
          result.totals().orders());
      return 0;
    }
  }

  /**
   * Where a role's settings come from: its own config JSON, or the stage settings file of the
   * harness's pipeline contract ({@code docs/pipeline-contract.md}).
   */
  static final class ConfigSource {
    @Option(names = "--config", description = "pipeline config JSON file")
    Path config;

    @Option(names = "--settings", description = "stage settings file of the pipeline contract")
    Path settings;

    PipelineConfig load() {
      return config != null
          ? PipelineConfig.load(config)
          : PipelineConfig.fromStageSettings(settings);
    }
  }

  /** The consumer's settings for a pipeline config. */
  public static ConsumerSettings consumerSettings(PipelineConfig cfg) {
    if (cfg.kafkaBootstrap() == null || cfg.kafkaBootstrap().isBlank()) {
      throw new IllegalArgumentException("config: kafkaBootstrap is required for the consumer");
    }
    return ConsumerSettings.of(
            cfg.kafkaBootstrap(), Path.of(cfg.warehousePath()), Path.of(cfg.lakePath()))
        .withTopic(cfg.topic())
        .withGroupId(cfg.consumerGroup())
        .withStatusFile(cfg.statusPath())
        .withBatchSize(cfg.consumerBatchSize())
        .withPolling(Duration.ofMillis(Math.max(cfg.pollIntervalMs(), 50)), Duration.ofMillis(50))
        .withVariant(cfg.variantValue(), 0);
  }

  /**
   * Runs {@code gracefulStop} on SIGTERM (a JVM shutdown while the role is still running), then
   * exits with status 0, so the harness can tell a graceful stop from a crash (137) or a failure. A
   * shutdown after the role returned on its own keeps the role's exit status.
   */
  static void onTerminate(Runnable gracefulStop) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  if (roleReturned) {
                    return;
                  }
                  gracefulStop.run();
                  System.err.println("stopped gracefully");
                  System.err.flush();
                  Runtime.getRuntime().halt(0);
                },
                "graceful-stop"));
  }
}
