package dev.cdcchaos.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * Reads the pipeline's progress: committed from the driver, applied from the consumer's status, and
 * published as the pipeline's description says: from the outbox marks ({@code published_at}) for a
 * pipeline that keeps them, else from the change topic itself ({@link TopicProgress}: distinct
 * outbox events in Kafka), so a log-based pipeline's backlog and stalls are seen without {@code
 * published_at}.
 */
final class ProgressProbe implements AutoCloseable {
  private final DataSource source;
  private final PipelineProcess consumer;
  private final org.apache.kafka.clients.admin.Admin admin;
  private final String topic;
  private final int partitions;
  private final TopicProgress topicProgress;
  private long published;
  private long backlog = -1;

  /**
   * @param outboxMarks whether the publisher marks {@code published_at} (else the topic is read)
   */
  ProgressProbe(
      DataSource source,
      PipelineProcess consumer,
      String bootstrap,
      String topic,
      int partitions,
      boolean outboxMarks) {
    this.topicProgress = outboxMarks ? null : new TopicProgress(bootstrap, topic, partitions);
    this.source = source;
    this.consumer = consumer;
    this.topic = topic;
    this.partitions = partitions;
    java.util.Properties p = new java.util.Properties();
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
    p.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    this.admin = org.apache.kafka.clients.admin.Admin.create(p);
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
    if (topicProgress != null) {
      topicProgress.close();
    }
  }

  /** The end offset of every partition, or empty when Kafka does not answer now. */
  Optional<Map<Integer, Long>> endOffsets() {
    Map<org.apache.kafka.common.TopicPartition, org.apache.kafka.clients.admin.OffsetSpec> request =
        new LinkedHashMap<>();
    for (int p = 0; p < partitions; p++) {
      request.put(
          new org.apache.kafka.common.TopicPartition(topic, p),
          org.apache.kafka.clients.admin.OffsetSpec.latest());
    }
    try {
      Map<Integer, Long> ends = new TreeMap<>();
      admin
          .listOffsets(request)
          .all()
          .get(10, java.util.concurrent.TimeUnit.SECONDS)
          .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
      return Optional.of(ends);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return Optional.empty();
    }
  }

  record Counts(
      long committed,
      long published,
      long backlog,
      long applied,
      long deadLettered,
      Map<Integer, Long> checkpoints,
      String incarnation) {

    /** Counts of a consumer reading the topic's first incarnation. */
    Counts(
        long committed,
        long published,
        long backlog,
        long applied,
        long deadLettered,
        Map<Integer, Long> checkpoints) {
      this(committed, published, backlog, applied, deadLettered, checkpoints, null);
    }

    /** The counters a fault trigger may wait for. */
    Nemesis.Progress triggers() {
      return new Nemesis.Progress(committed, published, applied);
    }

    boolean sameProgress(Counts o) {
      return applied == o.applied
          && deadLettered == o.deadLettered
          && checkpoints.equals(o.checkpoints)
          && java.util.Objects.equals(incarnation, o.incarnation)
          && published == o.published;
    }
  }

  Counts sample(long committed) {
    if (topicProgress != null) {
      topicProgress.poll();
      try (Connection c = source.getConnection();
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT count(*) FROM outbox_events")) {
        rs.next();
        published = topicProgress.published();
        backlog = Math.max(0, rs.getLong(1) - published);
      } catch (SQLException e) {
        // Postgres down or partitioned: keep the last values
      }
      return counts(committed);
    }
    try (Connection c = source.getConnection();
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FILTER (WHERE published_at IS NOT NULL), count(*) FILTER (WHERE published_at IS NULL) FROM outbox_events")) {
      rs.next();
      published = rs.getLong(1);
      backlog = rs.getLong(2);
    } catch (SQLException e) {
      // Postgres down or partitioned: keep the last values
    }
    return counts(committed);
  }

  private Counts counts(long committed) {
    JsonNode status = consumer.status();
    Map<Integer, Long> checkpoints = new TreeMap<>();
    status
        .path("checkpoints")
        .fields()
        .forEachRemaining(
            e -> {
              try {
                checkpoints.put(Integer.parseInt(e.getKey()), e.getValue().asLong());
              } catch (NumberFormatException ignored) {
                checkpoints.put(-1, e.getValue().asLong());
              }
            });
    return new Counts(
        committed,
        published,
        backlog,
        status.path("applied").asLong(0),
        status.path("deadLettered").asLong(0),
        checkpoints,
        status.path("incarnation").isTextual() ? status.path("incarnation").asText() : null);
  }

  /**
   * Whether the outbox is empty and the consumer's checkpoints reached the end of every partition.
   */
  boolean caughtUp(Counts c) {
    // a consumer restarted since its last status (e.g. by a redeliver, which rewinds the
    // checkpoints first) still shows its old checkpoints: they may be at the ends already
    if (!consumer.reportedSinceStart()) {
      return false;
    }
    if (c.backlog() != 0 || c.checkpoints().isEmpty()) {
      return false;
    }
    Optional<Map<Integer, Long>> ends =
        topicProgress == null ? endOffsets() : topicProgress.dataEnds();
    if (ends.isEmpty()) {
      return false;
    }
    for (Map.Entry<Integer, Long> end : ends.get().entrySet()) {
      if (c.checkpoints().getOrDefault(end.getKey(), 0L) < end.getValue()) {
        return false;
      }
    }
    return true;
  }
}
