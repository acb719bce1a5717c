package dev.cdcchaos.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.control.HaltingCrashPoints;
import dev.cdcchaos.pipeline.publisher.SendCounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.OptionalLong;

/**
 * One stage of the pipeline under test (publisher or consumer) as a child process started from its
 * description's command line, so that a crash is a real process death and the stage really recovers
 * from its own durable state. The harness drives it through its control file (crash points,
 * delivery faults) and reads its progress from its status file.
 *
 * <p>The process is "wanted up" unless the harness took it down on purpose ({@link #holdDown()});
 * the {@link Supervisor} restarts a wanted process that died, as a process manager would in
 * production.
 */
public final class PipelineProcess implements Node {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final JavaProcess process;
  private final Path controlFile;
  private final Path statusFile;
  private volatile boolean wantedUp;
  private volatile ControlSettings control = ControlSettings.NONE;
  private volatile Instant startedAt = Instant.EPOCH;

  /** What the send hooks of this process's ended lives changed (each life counts from 0). */
  private SendCounts earlierLives = SendCounts.NONE;

  private PipelineProcess(String name, JavaProcess process, Path controlFile, Path statusFile) {
    this.name = name;
    this.process = process;
    this.controlFile = controlFile;
    this.statusFile = statusFile;
  }

  /** The files of the process called {@code name} in {@code workDir}: control, status, settings. */
  public record StageFiles(Path control, Path status, Path settings, Path log) {
    static StageFiles of(Path workDir, String name) {
      Path dir = workDir.toAbsolutePath();
      return new StageFiles(
          dir.resolve(name + "-control.json"),
          dir.resolve(name + "-status.json"),
          dir.resolve(name + "-settings.json"),
          dir.resolve(name + ".log"));
    }
  }

  /** Where the process called {@code name} keeps its files under {@code workDir}. */
  public static StageFiles files(Path workDir, String name) {
    return StageFiles.of(workDir, name);
  }

  /**
   * Prepares (does not start) a stage of a pipeline under test from its description: {@code
   * command} with {@code {settings}} filled in, the settings written to {@code files.settings()}
   * (whose status and control files must be {@code files}').
   */
  public static PipelineProcess forStage(
      String name, dev.cdcchaos.harness.sut.StageCommand command, StageFiles files) {
    try {
      Files.createDirectories(files.log().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + files.log().getParent(), e);
    }
    JavaProcess process =
        JavaProcess.builder(name, "stage")
            .command(command.resolve(files.settings().toString()))
            .env(command.env())
            .env("CDC_CHAOS_SETTINGS", files.settings().toString())
            .logFile(files.log())
            .workingDir(files.log().getParent())
            .build();
    PipelineProcess p = new PipelineProcess(name, process, files.control(), files.status());
    p.control(ControlSettings.NONE);
    try {
      Files.deleteIfExists(Control.haltMarker(files.control()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear the halt marker beside " + files.control(), e);
    }
    return p;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void start() {
    wantedUp = true;
    newLife();
    process.start();
  }

  /** Graceful stop (SIGTERM, then SIGKILL after the timeout); the supervisor leaves it down. */
  @Override
  public synchronized void stop() {
    wantedUp = false;
    process.stop();
  }

  /** SIGKILL; the supervisor leaves it down until {@link #start()}. */
  @Override
  public synchronized void kill() {
    wantedUp = false;
    process.kill();
  }

  @Override
  public void pause() {
    process.pause();
  }

  @Override
  public void resume() {
    process.resume();
  }

  @Override
  public synchronized void restart() {
    process.stop();
    wantedUp = true;
    newLife();
    process.start();
  }

  @Override
  public boolean isRunning() {
    return process.isRunning();
  }

  @Override
  public OptionalLong pid() {
    return process.pid();
  }

  /** Whether the harness wants this process up (it was not stopped or killed on purpose). */
  public boolean wantedUp() {
    return wantedUp;
  }

  /** Whether the process died although it was wanted up: a crash point, an OOM, a bug. */
  public boolean died() {
    return wantedUp && !process.isRunning();
  }

  /** The exit code of the process's last life, if it ended. */
  public java.util.OptionalInt exitCode() {
    return process.exitCode();
  }

  /** Starts the process again after it died (the supervisor's job). */
  public synchronized void revive() {
    if (wantedUp && !process.isRunning()) {
      newLife();
      process.start();
    }
  }

  /**
   * Closes the account of the life that ended (its status file is final now: the process is gone)
   * and starts a new one.
   */
  private void newLife() {
    if (!process.isRunning()) {
      earlierLives = earlierLives.plus(thisLifeSends());
      startedAt = Instant.now();
    }
  }

  /**
   * What the publisher's send hook changed since this process was first started, over all its
   * lives, as far as its status files reported (a batch in flight when a life ended is not
   * counted): the evidence of the {@code duplicate} and {@code reorder} faults.
   */
  public synchronized SendCounts sends() {
    return earlierLives.plus(thisLifeSends());
  }

  private SendCounts thisLifeSends() {
    if (!reportedSinceStart()) {
      return SendCounts.NONE; // the status on disk is an earlier life's, already counted
    }
    JsonNode s = status().path("sends");
    return new SendCounts(
        s.path("batches").asLong(0),
        s.path("duplicated").asLong(0),
        s.path("moved").asLong(0),
        s.path("retried").asLong(0));
  }

  /**
   * The crash point the process halted at in its last life, read from the marker it writes just
   * before halting, and the marker removed so the next crash leaves its own; empty when it died
   * another way.
   */
  public java.util.Optional<String> takeHaltedAt() {
    Path marker = Control.haltMarker(controlFile);
    java.util.Optional<String> point = HaltingCrashPoints.readMarker(marker);
    try {
      Files.deleteIfExists(marker);
    } catch (IOException e) {
      // a marker left behind would prove a later crash that did not happen: say so loudly
      throw new UncheckedIOException("cannot remove the halt marker " + marker, e);
    }
    return point;
  }

  /** The last lines of its log, for error messages. */
  public String logTail(int lines) {
    return process.logTail(lines);
  }

  /** The control settings last written. */
  public ControlSettings control() {
    return control;
  }

  /** Rewrites the control file atomically; the process picks it up within a batch or a poll. */
  public synchronized void control(ControlSettings settings) {
    try {
      Path tmp = Files.createTempFile(controlFile.getParent(), name + "-control", ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(settings));
      Files.move(
          tmp, controlFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      control = settings;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write control file " + controlFile, e);
    }
  }

  /** The status the process last reported, or a missing node. */
  public JsonNode status() {
    try {
      return JSON.readTree(Files.readAllBytes(statusFile));
    } catch (NoSuchFileException e) {
      return MissingNode.getInstance();
    } catch (IOException e) {
      return MissingNode.getInstance();
    }
  }

  /** When the process was last started ({@link Instant#EPOCH} before its first start). */
  public Instant startedAt() {
    return startedAt;
  }

  /**
   * Whether the process has written its status since it was last started: it is up and working, not
   * still starting (a JVM start can take seconds on a loaded machine). A status without {@code
   * updatedAt} counts as not reported.
   */
  public boolean reportedSinceStart() {
    return statusUpdatedAt().filter(at -> !at.isBefore(startedAt)).isPresent();
  }

  /** Whether the process wrote its status within {@code recent}: it is up and completing work. */
  public boolean answeredWithin(java.time.Duration recent) {
    return reportedSinceStart()
        && statusUpdatedAt().filter(at -> at.isAfter(Instant.now().minus(recent))).isPresent();
  }

  /** When the process last wrote its status ({@code updatedAt}), if it did. */
  public java.util.Optional<Instant> statusUpdatedAt() {
    String at = status().path("updatedAt").asText("");
    try {
      return at.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Instant.parse(at));
    } catch (DateTimeParseException e) {
      return java.util.Optional.empty();
    }
  }

  /** A number from the status file, 0 when absent. */
  public long statusLong(String field) {
    return status().path(field).asLong(0);
  }

  @Override
  public String toString() {
    return name + (isRunning() ? " (running)" : " (down)");
  }
}
