package dev.cdcchaos.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Settings of one pipeline process (publisher or consumer), read from a JSON file given with {@code
 * --config}. The harness writes one per process; missing numbers take the defaults below.
 *
 * @param jdbcUrl source Postgres, e.g. {@code
 *     jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres}
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port]}
 * @param topic the change topic (default {@code cdc.orders})
 * @param consumerGroup the consumer's group id (default {@code cdc-chaos-warehouse})
 * @param warehousePath the DuckDB file (default {@code warehouse/warehouse.duckdb})
 * @param lakePath the Parquet lake root (default {@code warehouse/lake})
 * @param publisherBatchSize outbox rows claimed per publisher batch (default 2000)
 * @param consumerBatchSize records applied per consumer batch (default 5000)
 * @param pollIntervalMs publisher idle poll interval and consumer poll timeout (default 20)
 * @param variant the pipeline variant by its cli name (default {@code correct})
 * @param controlFile the harness's control file, or null
 * @param statusFile where the process reports its progress, or null
 * @param outboxRetentionMs published outbox rows older than this are deleted by the publisher; 0
 *     keeps them (default 0)
 */
public record PipelineConfig(
    String jdbcUrl,
    String kafkaBootstrap,
    String topic,
    String consumerGroup,
    String warehousePath,
    String lakePath,
    int publisherBatchSize,
    int consumerBatchSize,
    long pollIntervalMs,
    String variant,
    String controlFile,
    String statusFile,
    long outboxRetentionMs) {

  public static final String DEFAULT_TOPIC = "cdc.orders";
  public static final String DEFAULT_GROUP = "cdc-chaos-warehouse";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public PipelineConfig {
    topic = blankTo(topic, DEFAULT_TOPIC);
    consumerGroup = blankTo(consumerGroup, DEFAULT_GROUP);
    warehousePath = blankTo(warehousePath, "warehouse/warehouse.duckdb");
    lakePath = blankTo(lakePath, "warehouse/lake");
    publisherBatchSize = publisherBatchSize == 0 ? 2000 : publisherBatchSize;
    consumerBatchSize = consumerBatchSize == 0 ? 5000 : consumerBatchSize;
    pollIntervalMs = pollIntervalMs == 0 ? 20 : pollIntervalMs;
    variant = blankTo(variant, Variant.CORRECT.cliName());
    requirePositive("publisherBatchSize", publisherBatchSize);
    requirePositive("consumerBatchSize", consumerBatchSize);
    requirePositive("pollIntervalMs", pollIntervalMs);
    if (outboxRetentionMs < 0) {
      throw new IllegalArgumentException(
          "outboxRetentionMs must be >= 0, was " + outboxRetentionMs);
    }
    Variant.parse(variant);
  }

  /** A config with defaults for everything but the connections. */
  public static PipelineConfig of(String jdbcUrl, String kafkaBootstrap) {
    return new PipelineConfig(
        jdbcUrl, kafkaBootstrap, null, null, null, null, 0, 0, 0, null, null, null, 0);
  }

  /** Reads a config file; the exception names the file and the field that is wrong. */
  public static PipelineConfig load(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), PipelineConfig.class);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("config file " + file + " does not exist", e);
    } catch (UnrecognizedPropertyException e) {
      throw new IllegalArgumentException(
          "config file " + file + ": unknown field '" + e.getPropertyName() + "'", e);
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException("config file " + file + ": " + cause.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException("config file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads the stage settings file the harness writes for each stage ({@code
   * docs/pipeline-contract.md}): Postgres and Kafka through the stage's proxies, topic, group,
   * warehouse, lake, status and control files, and the scenario's pipeline settings ({@code
   * publisher_batch}, {@code consumer_batch}, {@code variant}, {@code poll_interval_ms}).
   */
  public static PipelineConfig fromStageSettings(Path file) {
    com.fasterxml.jackson.databind.JsonNode n;
    try {
      n = JSON.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("stage settings file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new IllegalArgumentException("stage settings file " + file + ": " + e.getMessage(), e);
    }
    com.fasterxml.jackson.databind.JsonNode s = n.path("settings");
    try {
      return new PipelineConfig(
          n.path("postgres").path("jdbcUrl").asText(null),
          n.path("kafka").path("bootstrap").asText(null),
          n.path("kafka").path("topic").asText(null),
          n.path("kafka").path("consumerGroup").asText(null),
          n.path("warehouse").path("path").asText(null),
          n.path("warehouse").path("lake").asText(null),
          Integer.parseInt(s.path("publisher_batch").asText("0")),
          Integer.parseInt(s.path("consumer_batch").asText("0")),
          Long.parseLong(s.path("poll_interval_ms").asText("20")),
          s.path("variant").asText(null),
          n.path("controlFile").asText(null),
          n.path("statusFile").asText(null),
          0);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "stage settings file " + file + ": a batch size is not a number: " + e.getMessage(), e);
    }
  }

  /** Writes this config as JSON, for the harness that starts pipeline processes. */
  public void save(Path file) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.write(file, JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write config " + file, e);
    }
  }

  /** The variant as an enum. */
  @JsonIgnore
  public Variant variantValue() {
    return Variant.parse(variant);
  }

  /** The control file path, or null. */
  @JsonIgnore
  public Path controlPath() {
    return controlFile == null || controlFile.isBlank() ? null : Path.of(controlFile);
  }

  /** The status file path, or null. */
  @JsonIgnore
  public Path statusPath() {
    return statusFile == null || statusFile.isBlank() ? null : Path.of(statusFile);
  }

  /** A copy with another variant. */
  public PipelineConfig withVariant(Variant v) {
    return new PipelineConfig(
        jdbcUrl,
        kafkaBootstrap,
        topic,
        consumerGroup,
        warehousePath,
        lakePath,
        publisherBatchSize,
        consumerBatchSize,
        pollIntervalMs,
        v.cliName(),
        controlFile,
        statusFile,
        outboxRetentionMs);
  }

  /** A copy with other control and status files. */
  public PipelineConfig withFiles(String control, String status) {
    return new PipelineConfig(
        jdbcUrl,
        kafkaBootstrap,
        topic,
        consumerGroup,
        warehousePath,
        lakePath,
        publisherBatchSize,
        consumerBatchSize,
        pollIntervalMs,
        variant,
        control,
        status,
        outboxRetentionMs);
  }

  private static String blankTo(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  private static void requirePositive(String field, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(field + " must be > 0, was " + value);
    }
  }
}
