package dev.cdcchaos.pipeline.control;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.nio.file.Path;

/**
 * What a pipeline process (publisher or consumer) needs from the harness's control file: route
 * every crash point through {@link #crashPoints()} (which re-reads a changed file), and call {@link
 * #refresh()} where settings other than the crash are needed. Without a control file it is the
 * production no-op.
 */
public final class Control {

  private final ControlFile file;
  private final HaltingCrashPoints crashPoints;

  public Control(ControlFile file, HaltingCrashPoints crashPoints) {
    this.file = file;
    this.crashPoints = crashPoints;
  }

  /**
   * The control of a process whose control file is {@code path} (null: none). A crash halts after
   * writing its point to {@link #haltMarker(Path)} beside the control file.
   */
  public static Control open(Path path) {
    Control control =
        new Control(
            new ControlFile(path), new HaltingCrashPoints(path == null ? null : haltMarker(path)));
    control.refresh();
    return control;
  }

  /**
   * Where a process whose control file is {@code controlFile} writes the point it halts at: {@code
   * consumer-control.json} gives {@code consumer-control.halted}.
   */
  public static Path haltMarker(Path controlFile) {
    String name = controlFile.getFileName().toString();
    String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    return controlFile.resolveSibling(stem + ".halted");
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

  /**
   * Halts the JVM at the armed point; a no-op while nothing is armed. Each reach first re-reads the
   * control file if it changed (one {@code stat}), so a role that only reports its crash points
   * still follows the file at least once per batch.
   */
  public CrashPoints crashPoints() {
    return point -> {
      refresh();
      crashPoints.reach(point);
    };
  }
}
