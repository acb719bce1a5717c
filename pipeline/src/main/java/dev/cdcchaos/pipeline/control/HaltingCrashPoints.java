package dev.cdcchaos.pipeline.control;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.util.function.IntConsumer;

/**
 * Crash points that halt the JVM (exit status 137, as after a {@code kill -9}) the N-th time the
 * armed point is reached, after printing {@code CRASH <point>} to stderr so the harness can tell a
 * planned crash from an accident. Nothing else runs: no finally blocks, no shutdown hooks.
 *
 * <p>Thread-safe: the consumer and publisher may reach points from several threads.
 */
public final class HaltingCrashPoints implements CrashPoints {

  /** The exit status of a process killed by SIGKILL. */
  public static final int HALT_STATUS = 137;

  private final IntConsumer halt;
  private ControlSettings.Crash armed;
  private int hits;

  /** Halts the real JVM. */
  public HaltingCrashPoints() {
    this(status -> Runtime.getRuntime().halt(status));
  }

  /** Calls {@code halt} instead of halting, for tests. */
  public HaltingCrashPoints(IntConsumer halt) {
    this.halt = halt;
  }

  /**
   * Arms {@code crash} (null disarms). Re-arming the same crash keeps the hit count, so re-reading
   * an unchanged control file does not postpone the crash.
   */
  public synchronized void arm(ControlSettings.Crash crash) {
    if (crash == null ? armed != null : !crash.equals(armed)) {
      armed = crash;
      hits = 0;
    }
  }

  /** The armed crash, or null. */
  public synchronized ControlSettings.Crash armed() {
    return armed;
  }

  @Override
  public void reach(String point) {
    boolean crash;
    synchronized (this) {
      crash = armed != null && armed.point().equals(point) && ++hits >= armed.afterHits();
    }
    if (crash) {
      System.err.println("CRASH " + point);
      System.err.flush();
      halt.accept(HALT_STATUS);
    }
  }
}
