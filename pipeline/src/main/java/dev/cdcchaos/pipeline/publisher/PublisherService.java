package dev.cdcchaos.pipeline.publisher;

import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.control.StatusFile;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The publisher process's loop: re-read the control file, publish a batch, report status, sleep
 * {@code pollIntervalMs} when there was nothing to claim, retry after failures with a short
 * backoff. {@link #stop()} (the SIGTERM path) lets the current batch finish; a {@code kill -9} at
 * any point leaves at most an uncommitted batch, which the next publisher sends again.
 */
public final class PublisherService implements AutoCloseable {

  private static final Duration BACKLOG_EVERY = Duration.ofSeconds(1);
  private static final Duration CLEANUP_EVERY = Duration.ofSeconds(10);

  private final PipelineConfig config;
  private final Control control;
  private final ControlledSendHook sendHook = new ControlledSendHook();
  private final Publisher publisher;
  private final StatusFile status;
  private final Clock clock;
  private final CountDownLatch done = new CountDownLatch(1);
  private volatile boolean stopping;
  private long backlog = -1;
  private Instant backlogAt = Instant.EPOCH;
  private Instant cleanupAt = Instant.EPOCH;

  public PublisherService(PipelineConfig config, Control control, Clock clock) {
    this.config = config;
    this.control = control;
    this.clock = clock;
    DataSource source = SourceDatabase.dataSource(config.jdbcUrl());
    this.publisher =
        Publisher.create(
            source,
            requireBootstrap(config),
            config.topic(),
            config.publisherBatchSize(),
            PublisherStrategy.of(config.variantValue()),
            sendHook,
            control.crashPoints());
    this.status = new StatusFile(config.statusPath());
    applySchema(source);
  }

  /** Publishes until {@link #stop()}. */
  public void run() throws InterruptedException {
    long failures = 0;
    try {
      try {
        int resubmitted = publisher.resubmitOnStart();
        if (resubmitted > 0) {
          System.err.println("publisher: resubmitted " + resubmitted + " incomplete events");
        }
      } catch (Exception e) {
        System.err.println("publisher: resubmission failed: " + e);
      }
      while (!stopping) {
        sendHook.update(control.refresh());
        int n;
        try {
          n = publisher.publishBatch();
          failures = 0;
        } catch (Exception e) {
          failures++;
          System.err.println("publisher: batch failed, will retry: " + e);
          sleep(Math.min(1000, config.pollIntervalMs() * (1L << Math.min(6, failures))));
          continue;
        }
        report(n);
        housekeeping();
        if (!publisher.lastBatchFull(n)) {
          sleep(config.pollIntervalMs());
        }
      }
    } finally {
      done.countDown();
    }
  }

  /** Asks {@link #run()} to return after the current batch; waits up to {@code timeout}. */
  public boolean stop(Duration timeout) throws InterruptedException {
    stopping = true;
    return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The publisher this service drives. */
  public Publisher publisher() {
    return publisher;
  }

  @Override
  public void close() {
    publisher.close();
  }

  private void report(int n) {
    Instant now = clock.instant();
    boolean drained = !publisher.lastBatchFull(n);
    if (n == 0 && backlog == 0 && Duration.between(backlogAt, now).compareTo(BACKLOG_EVERY) < 0) {
      return;
    }
    if (drained || backlog < 0 || Duration.between(backlogAt, now).compareTo(recountEvery()) >= 0) {
      try {
        backlog = publisher.backlog();
        backlogAt = now;
      } catch (Exception e) {
        System.err.println("publisher: cannot count the backlog: " + e);
      }
    } else {
      backlog = Math.max(0, backlog - n);
    }
    try {
      status.write(
          new PublisherStatus(
              "publisher",
              publisher.published(),
              publisher.batches(),
              backlog,
              now.toString(),
              sendHook.counts()));
    } catch (java.io.UncheckedIOException e) {
      System.err.println("publisher: " + e.getMessage() + ": " + e.getCause());
    }
  }

  /**
   * How often the backlog is counted while batches are full. A count reads every unpublished row,
   * so a large backlog is counted less often (a million rows take about half a second, which a
   * catch-up would otherwise spend every second); in between it goes down by what was published.
   */
  private Duration recountEvery() {
    return BACKLOG_EVERY.multipliedBy(Math.max(1, Math.min(30, backlog / 50_000)));
  }

  private void housekeeping() {
    if (config.outboxRetentionMs() <= 0) {
      return;
    }
    Instant now = clock.instant();
    if (Duration.between(cleanupAt, now).compareTo(CLEANUP_EVERY) < 0) {
      return;
    }
    cleanupAt = now;
    try {
      publisher.cleanup(Duration.ofMillis(config.outboxRetentionMs()));
    } catch (Exception e) {
      System.err.println("publisher: outbox cleanup failed: " + e);
    }
  }

  private void sleep(long millis) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (!stopping && System.nanoTime() < until) {
      Thread.sleep(
          Math.min(20, Math.max(1, TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()))));
    }
  }

  private static String requireBootstrap(PipelineConfig config) {
    if (config.kafkaBootstrap() == null || config.kafkaBootstrap().isBlank()) {
      throw new IllegalArgumentException("config: kafkaBootstrap is required for the publisher");
    }
    return config.kafkaBootstrap();
  }

  private static void applySchema(DataSource source) {
    for (int attempt = 1; ; attempt++) {
      try {
        SourceSchema.apply(source);
        return;
      } catch (java.sql.SQLException e) {
        if (attempt >= 30) {
          throw new IllegalStateException("cannot apply the source schema: " + e.getMessage(), e);
        }
        System.err.println(
            "publisher: source database not ready (" + e.getMessage() + "), retrying");
        try {
          Thread.sleep(1000);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for the database", ie);
        }
      }
    }
  }
}
