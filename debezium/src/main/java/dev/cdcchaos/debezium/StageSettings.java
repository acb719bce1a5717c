package dev.cdcchaos.debezium;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The settings file the harness gives each stage ({@code docs/pipeline-contract.md}), read as the
 * worker needs it: Postgres through its proxy, Kafka through its proxies, the topic, the run's name
 * and the pipeline settings of the scenario.
 */
record StageSettings(
    String runId,
    String statusFile,
    String pgHost,
    int pgPort,
    String database,
    String user,
    String password,
    String bootstrap,
    String topic,
    JsonNode settings) {

  static StageSettings load(Path file) {
    JsonNode n;
    try {
      n = new ObjectMapper().readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the stage settings " + file + ": " + e, e);
    }
    return new StageSettings(
        required(n, file, "runId").asText(),
        required(n, file, "statusFile").asText(),
        required(n.path("postgres"), file, "host").asText(),
        required(n.path("postgres"), file, "port").asInt(),
        required(n.path("postgres"), file, "database").asText(),
        required(n.path("postgres"), file, "user").asText(),
        n.path("postgres").path("password").asText(""),
        required(n.path("kafka"), file, "bootstrap").asText(),
        required(n.path("kafka"), file, "topic").asText(),
        n.path("settings"));
  }

  private static JsonNode required(JsonNode parent, Path file, String field) {
    JsonNode v = parent.path(field);
    if (v.isMissingNode() || v.isNull() || v.asText().isBlank()) {
      throw new IllegalArgumentException(
          "stage settings " + file + ": field '" + field + "' is missing");
    }
    return v;
  }

  /** A pipeline setting of the scenario as text, or {@code fallback}. */
  String setting(String name, String fallback) {
    JsonNode v = settings.path(name);
    return v.isMissingNode() || v.isNull() ? fallback : v.asText();
  }

  String jdbcUrl() {
    return "jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database;
  }

  /** Replication slot, publication and connector names: one set per run. */
  String slot() {
    String s =
        ("cdcchaos_" + runId).toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    return s.length() > 63 ? s.substring(0, 63) : s;
  }
}
