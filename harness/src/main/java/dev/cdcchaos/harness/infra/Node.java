package dev.cdcchaos.harness.infra;

import java.util.OptionalLong;

/**
 * One server process the harness controls (Postgres, a Kafka broker, a pipeline process), with the
 * process faults the nemesis injects. Implementations must leave no process behind after {@link
 * #stop()} or {@link #kill()}, keep their data across {@link #restart()} and a kill, and tolerate
 * being asked to stop or kill when already down (a no-op then).
 */
public interface Node {

  /** A stable name, as used in scenario files: {@code postgres}, {@code kafka-1}, ... */
  String name();

  /** Starts the process and returns once it serves requests. */
  void start();

  /** Stops gracefully (the server's own clean shutdown), killing it if that takes too long. */
  void stop();

  /** SIGKILL, as a crash or the OOM killer would: no shutdown hooks, no flush. */
  void kill();

  /** SIGSTOP: the process stays alive but does nothing, so clients stall without an error. */
  void pause();

  /** SIGCONT after {@link #pause()}. */
  void resume();

  /** Stops (gracefully, if running) and starts again, keeping the data. */
  void restart();

  /**
   * Whether the node is seen paused now, told by what paused it (for a container, the engine's
   * freezer state: a frozen process shows in {@code /proc} as sleeping, not as stopped); empty when
   * the node cannot tell, and the caller looks for state {@code T} in {@code /proc} instead.
   */
  default java.util.Optional<Boolean> seenPaused() {
    return java.util.Optional.empty();
  }

  /** Whether the process is alive (a paused process is alive). */
  boolean isRunning();

  /** The id of the main server process, when running. */
  OptionalLong pid();
}
