package dev.cdcchaos.harness.sut;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.cdcchaos.harness.BadInputException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The pipelines the harness knows by name ({@code reference}, {@code debezium}) and descriptions
 * read from files for anyone else's ({@code --pipeline FILE.yaml}). Every description is checked
 * before a run: a command that is not there, an unknown capability or setting is bad input that
 * names what is wrong and where.
 */
public final class Pipelines {
  public static final String REFERENCE = "reference";
  public static final String DEBEZIUM = "debezium";

  /** Built-in names, for errors and the loader. */
  public static final List<String> NAMES = List.of(REFERENCE, DEBEZIUM);

  private static final String BUILT_IN = "built in";

  private Pipelines() {}

  /** A built-in pipeline by name, or a description file when {@code nameOrFile} names one. */
  public static PipelineDescription resolve(String nameOrFile) {
    return switch (nameOrFile) {
      case REFERENCE -> reference();
      case DEBEZIUM -> debezium();
      default -> {
        Path file = Path.of(nameOrFile);
        if (Files.isRegularFile(file)) {
          yield load(file);
        }
        throw new BadInputException(
            "unknown pipeline '"
                + nameOrFile
                + "': expected one of "
                + NAMES
                + " or a pipeline description file (docs/pipeline-contract.md)");
      }
    };
  }

  /**
   * The reference pipeline ({@code pipeline/}): the polling outbox publisher and the consumer, each
   * {@code PipelineMain} in a JVM on the harness's own class path. It declares every capability.
   */
  public static PipelineDescription reference() {
    return new PipelineDescription(
        REFERENCE,
        "the polling outbox publisher and the DuckDB + Parquet consumer (pipeline/)",
        pipelineMain("publisher"),
        pipelineMain("consumer"),
        Optional.empty(),
        referenceCapabilities(),
        Set.of(),
        Map.of("publisher_batch", "500", "consumer_batch", "2000"),
        BUILT_IN);
  }

  /**
   * Everything the reference pipeline does, {@link Capability#TOPIC_INCARNATIONS} included: its
   * consumer asks for the topic's id after every poll and records a recreated topic's records under
   * {@code <topic>~<topic id>}, with checkpoints and lake files of their own.
   */
  private static Set<Capability> referenceCapabilities() {
    return EnumSet.allOf(Capability.class);
  }

  /**
   * Debezium's Postgres connector with the outbox event router in a distributed Kafka Connect
   * worker (module {@code debezium/}, its own class path) as the publisher stage, and the reference
   * consumer. The worker's crash points and send hook do not exist, and one worker runs.
   */
  public static PipelineDescription debezium() {
    String cp = debeziumClasspath();
    List<String> worker =
        List.of(
            "{java}",
            "-Xmx512m",
            "-XX:+UseSerialGC",
            // a scenario's worker lives for seconds: the optimising compiler's threads only take
            // CPU from the two cores everything shares (baseline-no-faults: pipeline start 2.7-3.1
            // s -> 2.0-2.4 s, run 11.3-13.3 s -> 8.6-11.6 s); the bench drops it (WorkerStage)
            "-XX:TieredStopAtLevel=1",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-Dorg.slf4j.simpleLogger.log.io.debezium=info",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
            "-cp",
            cp,
            "dev.cdcchaos.debezium.WorkerMain");
    List<String> run = new ArrayList<>(worker);
    run.addAll(List.of("worker", "--settings", "{settings}"));
    List<String> prepare = new ArrayList<>(worker);
    prepare.addAll(List.of("prepare", "--settings", "{settings}"));
    Set<Capability> caps = referenceCapabilities();
    caps.removeAll(
        Set.of(
            Capability.PUBLISHER_CRASH_POINTS,
            Capability.SEND_HOOK,
            Capability.SEVERAL_PUBLISHERS,
            Capability.OUTBOX_MARKS,
            Capability.VARIANTS,
            // the consumer keeps incarnations apart, but a recreation under the Connect worker
            // (its producer, its topic handling while the topic is absent) was never tried
            Capability.TOPIC_INCARNATIONS));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("publisher_batch", "500");
    settings.put("consumer_batch", "2000");
    settings.put("exactly_once", "false");
    settings.put("offset_flush_ms", "10000");
    settings.put("known_bad", "none");
    settings.put("slot_recreate_after_ms", "3000");
    return new PipelineDescription(
        DEBEZIUM,
        "Debezium 3.6.1 Postgres connector (pgoutput) + outbox event router in a distributed Kafka"
            + " Connect 4.1.1 worker; the reference consumer",
        StageCommand.of(run),
        pipelineMain("consumer"),
        Optional.of(StageCommand.of(prepare)),
        caps,
        Set.of(Need.LOGICAL_REPLICATION),
        settings,
        BUILT_IN);
  }

  /**
   * The application's writer as a process ({@code workload.writers_in: processes}): {@code
   * PipelineMain writer} in a JVM on the harness's class path, whatever pipeline is under test (the
   * writers are the application that feeds it, not a stage of it). {@code {settings}} is the
   * writer's settings file.
   */
  public static StageCommand writer() {
    return StageCommand.of(
        List.of(
            "{java}",
            "-Xmx256m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.jooq.no-logo=true",
            "-Dorg.jooq.no-tips=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.cdcchaos.pipeline.PipelineMain",
            "writer",
            "--config",
            "{settings}"));
  }

  private static StageCommand pipelineMain(String role) {
    return StageCommand.of(
        List.of(
            "{java}",
            "-Xmx768m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Dorg.jooq.no-logo=true",
            "-Dorg.jooq.no-tips=true",
            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
            "-cp",
            System.getProperty("java.class.path"),
            "dev.cdcchaos.pipeline.PipelineMain",
            role,
            "--settings",
            "{settings}"));
  }

  /**
   * The Debezium worker's class path: {@code cdcchaos.debeziumClasspath} if set, else the module's
   * jar and {@code target/classpath.txt} under the project directory.
   */
  static String debeziumClasspath() {
    String configured = System.getProperty("cdcchaos.debeziumClasspath");
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    Path module = projectDir().resolve("debezium").resolve("target");
    Path jar = module.resolve("cdc-chaos-debezium.jar");
    Path cp = module.resolve("classpath.txt");
    if (!Files.isRegularFile(jar) || !Files.isRegularFile(cp)) {
      throw new BadInputException(
          "the Debezium worker is not built: "
              + (Files.isRegularFile(jar) ? cp : jar)
              + " is missing; run ./mvnw -B -DskipTests package (or -pl debezium package)");
    }
    try {
      return jar.toAbsolutePath() + File.pathSeparator + Files.readString(cp).strip();
    } catch (IOException e) {
      throw new BadInputException("cannot read " + cp + ": " + e.getMessage(), e);
    }
  }

  /** The project's root: {@code cdcchaos.projectDir}, else the nearest folder up with debezium/. */
  static Path projectDir() {
    String configured = System.getProperty("cdcchaos.projectDir");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured);
    }
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      if (Files.isRegularFile(d.resolve("debezium").resolve("pom.xml"))) {
        return d;
      }
    }
    return dir;
  }

  /**
   * Reads a pipeline description file (YAML or JSON) and checks it: every error names the file and
   * the field.
   *
   * <pre>
   * name: my-pipeline
   * summary: a relay in Go and a sink in Python
   * publisher: { command: [./relay, --settings, "{settings}"] }
   * consumer:  { command: [python3, sink.py, "{settings}"], env: { PYTHONUNBUFFERED: "1" } }
   * prepare:   { command: [./relay, prepare, "{settings}"] }          # optional
   * capabilities: [consumer-crash-points, ledger, totals, checkpoints, dead-letters, snapshot-reads]
   * needs: [logical-replication]                                      # optional
   * settings: { batch: "100" }                                        # optional, the defaults
   * </pre>
   */
  public static PipelineDescription load(Path file) {
    JsonNode n;
    try {
      n = new ObjectMapper(new YAMLFactory()).readTree(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new BadInputException("pipeline description " + file + ": " + e.getMessage(), e);
    }
    String where = "pipeline description " + file;
    if (n == null || !n.isObject()) {
      throw new BadInputException(where + ": expected a mapping with name, publisher, consumer");
    }
    List<String> known =
        List.of(
            "name",
            "summary",
            "publisher",
            "consumer",
            "prepare",
            "capabilities",
            "needs",
            "settings");
    n.fieldNames()
        .forEachRemaining(
            f -> {
              if (!known.contains(f)) {
                throw new BadInputException(
                    where + ": unknown field '" + f + "', expected one of " + known);
              }
            });
    String name = text(n, "name", where);
    Set<Capability> caps = EnumSet.noneOf(Capability.class);
    JsonNode capsNode = n.path("capabilities");
    if (!capsNode.isMissingNode() && !capsNode.isArray()) {
      throw new BadInputException(where + ": capabilities: expected a list of names");
    }
    for (int i = 0; i < capsNode.size(); i++) {
      String c = capsNode.get(i).asText();
      int index = i;
      caps.add(
          Capability.parse(c)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          where
                              + ": capabilities["
                              + index
                              + "]: unknown capability '"
                              + c
                              + "', expected one of "
                              + Capability.names())));
    }
    Set<Need> needs = EnumSet.noneOf(Need.class);
    for (JsonNode need : n.path("needs")) {
      if (!need.asText().equals(Need.LOGICAL_REPLICATION.cliName())) {
        throw new BadInputException(
            where + ": needs: unknown need '" + need.asText() + "', expected logical-replication");
      }
      needs.add(Need.LOGICAL_REPLICATION);
    }
    Map<String, String> settings = new LinkedHashMap<>();
    n.path("settings")
        .fields()
        .forEachRemaining(e -> settings.put(e.getKey(), e.getValue().asText()));
    PipelineDescription d =
        new PipelineDescription(
            name,
            n.path("summary").asText(""),
            stage(n, "publisher", where).orElseThrow(() -> missing(where, "publisher")),
            stage(n, "consumer", where).orElseThrow(() -> missing(where, "consumer")),
            stage(n, "prepare", where),
            caps,
            needs,
            settings,
            file.toString());
    validate(d);
    return d;
  }

  /**
   * Checks that every stage's program exists (a path, or a name on {@code PATH}).
   *
   * @throws BadInputException naming the stage, the program and the description's source
   */
  public static void validate(PipelineDescription d) {
    Map<String, Optional<StageCommand>> stages = new LinkedHashMap<>();
    stages.put("publisher", Optional.of(d.publisher()));
    stages.put("consumer", Optional.of(d.consumer()));
    stages.put("prepare", d.prepare());
    for (Map.Entry<String, Optional<StageCommand>> s : stages.entrySet()) {
      if (s.getValue().isEmpty()) {
        continue;
      }
      String program = s.getValue().get().resolve("").get(0);
      if (!programExists(program)) {
        throw new BadInputException(
            "pipeline "
                + d.name()
                + " ("
                + d.source()
                + "): "
                + s.getKey()
                + ".command: program '"
                + program
                + "' not found"
                + (program.contains("/") ? "" : " on PATH"));
      }
    }
  }

  static boolean programExists(String program) {
    if (program.contains("/")) {
      return Files.isExecutable(Path.of(program));
    }
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isBlank() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }

  private static Optional<StageCommand> stage(JsonNode n, String field, String where) {
    JsonNode s = n.path(field);
    if (s.isMissingNode() || s.isNull()) {
      return Optional.empty();
    }
    JsonNode command = s.path("command");
    if (!command.isArray() || command.isEmpty()) {
      throw new BadInputException(
          where + ": " + field + ".command: expected a non-empty list (program and arguments)");
    }
    List<String> args = new ArrayList<>();
    command.forEach(a -> args.add(a.asText()));
    Map<String, String> env = new LinkedHashMap<>();
    s.path("env").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
    return Optional.of(new StageCommand(args, env));
  }

  private static String text(JsonNode n, String field, String where) {
    JsonNode v = n.path(field);
    if (!v.isTextual() || v.asText().isBlank()) {
      throw missing(where, field);
    }
    return v.asText();
  }

  private static BadInputException missing(String where, String field) {
    return new BadInputException(where + ": field '" + field + "' is missing");
  }
}
