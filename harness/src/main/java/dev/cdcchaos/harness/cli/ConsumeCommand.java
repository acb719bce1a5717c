package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.pipeline.PipelineMain;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs the consumer until it has applied N messages or the topic is idle, then stops. */
@Command(
    name = "consume",
    description = "Consume from Kafka into the lake and the warehouse, then stop.")
public final class ConsumeCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(
      names = "--max-messages",
      defaultValue = "0",
      description = "stop after this many messages (default: until idle)")
  long maxMessages;

  @Option(
      names = "--idle-seconds",
      defaultValue = "3",
      description = "stop after this long without messages (default: ${DEFAULT-VALUE})")
  long idleSeconds;

  @Override
  public Integer call() {
    if (maxMessages < 0 || idleSeconds < 1) {
      throw new BadInputException("--max-messages must be >= 0 and --idle-seconds >= 1");
    }
    ConnectionSettings settings = connection.settings();
    ConsumerService consumer =
        new ConsumerService(
            PipelineMain.consumerSettings(settings.pipelineConfig())
                .withBounds(maxMessages, Duration.ofSeconds(idleSeconds)),
            CrashPoints.NONE,
            Clock.systemUTC());
    ConsumerService.Summary summary = consumer.run();
    System.out.printf(
        "consumed %d messages in %d batches into %s; warehouse: %d events applied, %d duplicates"
            + " absorbed, %d dead letters, %d orders%n",
        summary.records(),
        summary.batches(),
        settings.warehousePath(),
        summary.totals().applied(),
        summary.totals().duplicates(),
        summary.totals().deadLettered(),
        summary.totals().orders());
    return Main.OK;
  }
}
