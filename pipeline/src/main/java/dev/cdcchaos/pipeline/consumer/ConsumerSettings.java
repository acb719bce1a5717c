package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the consumer needs to run. Start from {@link #of(String, Path, Path)} and adjust with
 * the {@code withX} methods.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param topic the orders topic
 * @param groupId consumer group for the informational offset commits
 * @param warehouseFile DuckDB file
 * @param lakeRoot lake root directory (files go under {@code <lakeRoot>/orders/})
 * @param statusFile JSON status written after each batch, or null for none
 * @param batchSize most records per batch
 * @param pollTimeout how long one poll waits for data
 * @param maxLinger how long a batch keeps polling to fill up once it has records
 * @param maxMessages stop after this many records, 0 for no limit
 * @param stopWhenIdle stop after no record arrived for this long, or null to run until stopped
 * @param variant which consumer strategies to run with
 * @param seed seeds the variant's randomness (random lake names)
 * @param kafkaProperties extra Kafka consumer properties, applied last
 */
public record ConsumerSettings(
    String bootstrapServers,
    String topic,
    String groupId,
    Path warehouseFile,
    Path lakeRoot,
    Path statusFile,
    int batchSize,
    Duration pollTimeout,
    Duration maxLinger,
    long maxMessages,
    Duration stopWhenIdle,
    Variant variant,
    long seed,
    Map<String, String> kafkaProperties) {

  public static final String DEFAULT_TOPIC = "cdc.orders";
  public static final String DEFAULT_GROUP = "cdc-chaos-consumer";

  public ConsumerSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(warehouseFile, "warehouseFile");
    Objects.requireNonNull(lakeRoot, "lakeRoot");
    Objects.requireNonNull(variant, "variant");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    if (maxMessages < 0) {
      throw new IllegalArgumentException("maxMessages must be >= 0, was " + maxMessages);
    }
    kafkaProperties = Map.copyOf(kafkaProperties);
  }

  /** Defaults: topic {@value #DEFAULT_TOPIC}, batches of 5,000, no limit, correct pipeline. */
  public static ConsumerSettings of(String bootstrapServers, Path warehouseFile, Path lakeRoot) {
    return new ConsumerSettings(
        bootstrapServers,
        DEFAULT_TOPIC,
        DEFAULT_GROUP,
        warehouseFile,
        lakeRoot,
        null,
        5_000,
        Duration.ofMillis(200),
        Duration.ofMillis(50),
        0,
        null,
        Variant.CORRECT,
        0,
        Map.of());
  }

  /**
   * The settings of a consumer process from its pipeline config: connections, topic, group, files,
   * batch size, poll interval (as poll timeout) and variant; unbounded.
   */
  public static ConsumerSettings from(PipelineConfig cfg) {
    return of(cfg.kafkaBootstrap(), Path.of(cfg.warehousePath()), Path.of(cfg.lakePath()))
        .withTopic(cfg.topic())
        .withGroupId(cfg.consumerGroup())
        .withStatusFile(cfg.statusPath())
        .withBatchSize(cfg.consumerBatchSize())
        .withPolling(Duration.ofMillis(cfg.pollIntervalMs()), Duration.ofMillis(50))
        .withVariant(cfg.variantValue(), 0);
  }

  public ConsumerSettings withTopic(String t) {
    return new ConsumerSettings(
        bootstrapServers,
        t,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        kafkaProperties);
  }

  public ConsumerSettings withGroupId(String g) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        g,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        kafkaProperties);
  }

  public ConsumerSettings withStatusFile(Path f) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        f,
        batchSize,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        kafkaProperties);
  }

  public ConsumerSettings withBatchSize(int n) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        n,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        kafkaProperties);
  }

  public ConsumerSettings withPolling(Duration poll, Duration linger) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        poll,
        linger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        kafkaProperties);
  }

  /**
   * Bounded mode: stop after {@code max} records (0 = no limit) or after {@code idle} without any.
   */
  public ConsumerSettings withBounds(long max, Duration idle) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        pollTimeout,
        maxLinger,
        max,
        idle,
        variant,
        seed,
        kafkaProperties);
  }

  public ConsumerSettings withVariant(Variant v, long s) {
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        v,
        s,
        kafkaProperties);
  }

  public ConsumerSettings withKafkaProperty(String key, String value) {
    Map<String, String> props = new HashMap<>(kafkaProperties);
    props.put(key, value);
    return new ConsumerSettings(
        bootstrapServers,
        topic,
        groupId,
        warehouseFile,
        lakeRoot,
        statusFile,
        batchSize,
        pollTimeout,
        maxLinger,
        maxMessages,
        stopWhenIdle,
        variant,
        seed,
        props);
  }
}
