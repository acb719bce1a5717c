package dev.cdcchaos.pipeline;

import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.consumer.ConsumerSettings;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.publisher.PublisherService;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
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
    subcommands = {PipelineMain.PublisherCommand.class, PipelineMain.ConsumerCommand.class})
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
    @Option(names = "--config", required = true, description = "pipeline config JSON file")
    Path config;

    @Override
    public Integer call() throws Exception {
      PipelineConfig cfg = PipelineConfig.load(config);
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

  /**
   * Consumes the change topic into the lake and the warehouse until terminated; on SIGTERM it
   * finishes or abandons the current batch and closes DuckDB cleanly.
   */
  @Command(
      name = "consumer",
      description =
          "Consumes the change topic into the Parquet lake and the DuckDB warehouse until terminated.")
  static final class ConsumerCommand implements Callable<Integer> {
    @Option(names = "--config", required = true, description = "pipeline config JSON file")
    Path config;

    @Override
    public Integer call() throws Exception {
      PipelineConfig cfg = PipelineConfig.load(config);
      Control control = Control.open(cfg.controlPath());
      ConsumerSettings settings =
          new ConsumerSettings(
              cfg.kafkaBootstrap(),
              cfg.topic(),
              cfg.consumerGroup(),
              Path.of(cfg.warehousePath()),
              Path.of(cfg.lakePath()),
              cfg.statusPath(),
              cfg.consumerBatchSize(),
              Duration.ofMillis(Math.max(cfg.pollIntervalMs(), 50)),
              Duration.ofMillis(50),
              0,
              null,
              cfg.variantValue(),
              0,
              // Static membership: a consumer restarted after a crash takes its old place in the
              // group at
              // once instead of waiting out the dead member's session (45 s by default) in a
              // rebalance.
              Map.of(
                  "group.instance.id", cfg.consumerGroup() + "-1",
                  "session.timeout.ms", "10000",
                  "heartbeat.interval.ms", "1000"));
      ConsumerService service =
          new ConsumerService(settings, control.crashPoints(), Clock.systemUTC());
      onTerminate(
          () -> {
            service.stop();
            try {
              if (!service.awaitStopped(Duration.ofSeconds(20))) {
                System.err.println("consumer: the current batch did not finish within 20 s");
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
