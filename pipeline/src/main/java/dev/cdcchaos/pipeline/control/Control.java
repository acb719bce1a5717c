package dev.cdcchaos.pipeline.control;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.nio.file.Path;

/**
 * What a pipeline process (publisher or consumer) needs from the harness's control file: call
 * {@link #refresh()} at least once per batch or poll, and route every crash point through {@link
 * #crashPoints()}. Without a control file it is the production no-op.
 */
public final class Control {

  private final ControlFile file;
  private final HaltingCrashPoints crashPoints;

  public Control(ControlFile file, HaltingCrashPoints crashPoints) {
    this.file = file;
    this.crashPoints = crashPoints;
  }

  /** The control of a process whose control file is {@code path} (null: none). */
  public static Control open(Path path) {
    Control control = new Control(new ControlFile(path), new HaltingCrashPoints());
    control.refresh();
    return control;
  }

  /** No control file: no crash, no delivery faults. */
  public static Control none() {
    return open(null);
  }

  /** Re-reads the control file if it changed and arms its crash point; returns the settings. */
  public ControlSettings refresh() {
    ControlSettings settings = file.refresh();
    crashPoints.arm(settings.crash());
    return settings;
  }

  /** The settings last read. */
  public ControlSettings settings() {
    return file.current();
  }

  /** Halts the JVM at the armed point; a no-op while nothing is armed. */
  public CrashPoints crashPoints() {
    return crashPoints;
  }
}
