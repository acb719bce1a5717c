package dev.cdcchaos.harness.cli;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.publisher.Publisher;
import dev.cdcchaos.pipeline.publisher.PublisherStrategy;
import dev.cdcchaos.pipeline.publisher.SendHook;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Publishes what the outbox holds now, then stops (the long-running form is the pipeline's). */
@Command(
    name = "publish",
    description = "Publish the outbox's unpublished events to Kafka, then stop.")
public final class PublishCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(
      names = "--batch-size",
      defaultValue = "500",
      description = "rows per batch (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    if (batchSize < 1) {
      throw new dev.cdcchaos.harness.BadInputException("--batch-size must be >= 1");
    }
    ConnectionSettings settings = connection.settings();
    DataSource ds = SourceDatabase.dataSource(settings.jdbcUrl());
    SourceSchema.apply(ds);
    try (Publisher publisher =
        Publisher.create(
            ds,
            settings.kafkaBootstrap(),
            settings.topic(),
            batchSize,
            PublisherStrategy.correct(),
            SendHook.NONE,
            CrashPoints.NONE)) {
      long published = publisher.drain();
      System.out.printf(
          "published %d events to %s in %d batches; backlog %d%n",
          published, settings.topic(), publisher.batches(), publisher.backlog());
    }
    return Main.OK;
  }
}
