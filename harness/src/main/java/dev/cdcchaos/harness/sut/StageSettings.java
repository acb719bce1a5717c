package dev.cdcchaos.harness.sut;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The settings file the harness writes for each stage before it starts it: where Postgres and Kafka
 * are (through the fault proxies of the stage's links), the topic, the warehouse and lake, the
 * stage's status and control files, and the scenario's pipeline settings. Its JSON layout is the
 * contract ({@code docs/pipeline-contract.md}).
 *
 * @param runId a name unique to the run (letters, digits, {@code _}), for names a stage makes
 * @param stage {@code publisher} or {@code consumer}
 * @param name the process's name ({@code publisher-2} when several publishers run)
 */
public record StageSettings(
    int contract,
    String runId,
    String pipeline,
    String stage,
    String name,
    String workDir,
    String statusFile,
    String controlFile,
    Postgres postgres,
    Kafka kafka,
    Warehouse warehouse,
    Map<String, String> settings) {

  /** The contract version this harness writes. */
  public static final int CONTRACT = 1;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Postgres through the stage's proxy: a JDBC URL and the same as host, port, database, user. */
  public record Postgres(
      String jdbcUrl, String host, int port, String database, String user, String password) {}

  /** Kafka through the stage's proxies, the change topic and the consumer's group. */
  public record Kafka(
      String bootstrap, String topic, int partitions, int brokers, String consumerGroup) {}

  /** The consumer's DuckDB file and Parquet lake root. */
  public record Warehouse(String path, String lake) {}

  public StageSettings {
    settings = new LinkedHashMap<>(settings);
  }

  /** Writes the file, and returns its path. */
  public Path save(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, JSON.writeValueAsBytes(this));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the stage settings " + file, e);
    }
  }
}
