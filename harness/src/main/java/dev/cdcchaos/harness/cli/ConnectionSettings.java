package dev.cdcchaos.harness.cli;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.pipeline.PipelineConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where the quickstart's infrastructure listens and where its outputs go: written by {@code up} to
 * {@value #DEFAULT_FILE}, read by {@code seed}, {@code publish}, {@code consume}, {@code query},
 * {@code status} and {@code replay}.
 */
public record ConnectionSettings(
    String jdbcUrl, String kafkaBootstrap, String topic, String warehousePath, String lakePath) {

  /** The default location, relative to the working directory. */
  public static final String DEFAULT_FILE = ".cdc-chaos/connection.json";

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(SerializationFeature.INDENT_OUTPUT);

  public ConnectionSettings {
    topic = topic == null || topic.isBlank() ? PipelineConfig.DEFAULT_TOPIC : topic;
    warehousePath =
        warehousePath == null || warehousePath.isBlank()
            ? "warehouse/warehouse.duckdb"
            : warehousePath;
    lakePath = lakePath == null || lakePath.isBlank() ? "warehouse/lake" : lakePath;
  }

  /** Reads the settings {@code up} wrote; a missing file says to run {@code up} first. */
  public static ConnectionSettings load(Path file) {
    try {
      return JSON.readValue(Files.readAllBytes(file), ConnectionSettings.class);
    } catch (NoSuchFileException e) {
      throw new BadInputException(
          "no connection settings at "
              + file
              + ": start the infrastructure with `./cdc-chaos up` in another terminal first, or pass"
              + " --connection FILE");
    } catch (IOException e) {
      throw new BadInputException(
          "cannot read connection settings " + file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the settings for the other commands. */
  public void save(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, JSON.writeValueAsBytes(this));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** A pipeline config for these connections, with default batch sizes and the correct variant. */
  public PipelineConfig pipelineConfig() {
    return new PipelineConfig(
        jdbcUrl,
        kafkaBootstrap,
        topic,
        null,
        warehousePath,
        lakePath,
        0,
        0,
        0,
        null,
        null,
        null,
        0);
  }
}
