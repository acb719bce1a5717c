package dev.cdcchaos.pipeline.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Crash points that halt the JVM (exit status 137, as after a {@code kill -9}) the N-th time the
 * armed point is reached, after printing {@code CRASH <point>} to stderr and writing the point to a
 * halt marker file (when one is given), so the harness can prove where the process died: an exit
 * status alone cannot tell a crash at the armed point from an accident. Nothing else runs: no
 * finally blocks, no shutdown hooks.
 *
 * <p>Thread-safe: the consumer and publisher may reach points from several threads.
 */
public final class HaltingCrashPoints implements CrashPoints {

  /** The exit status of a process killed by SIGKILL. */
  public static final int HALT_STATUS = 137;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final IntConsumer halt;
  private final Path marker;
  private ControlSettings.Crash armed;
  private int hits;

  /** Halts the real JVM, leaving no marker. */
  public HaltingCrashPoints() {
    this((Path) null);
  }

  /**
   * Halts the real JVM after writing the point to {@code marker} (null: no marker); see {@link
   * #readMarker(Path)}.
   */
  public HaltingCrashPoints(Path marker) {
    this(status -> Runtime.getRuntime().halt(status), marker);
  }

  /** Calls {@code halt} instead of halting, for tests. */
  public HaltingCrashPoints(IntConsumer halt) {
    this(halt, null);
  }

  /** Writes the marker, then calls {@code halt} instead of halting, for tests. */
  public HaltingCrashPoints(IntConsumer halt, Path marker) {
    this.halt = halt;
    this.marker = marker;
  }

  /**
   * The point a process halted at, from the marker it wrote just before halting; empty when there
   * is no marker (the process did not halt at a crash point since the marker was last deleted).
   */
  public static java.util.Optional<String> readMarker(Path marker) {
    try {
      return java.util.Optional.ofNullable(JSON.readTree(Files.readAllBytes(marker)).get("point"))
          .map(p -> p.asText());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
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
      writeMarker(point);
      halt.accept(HALT_STATUS);
    }
  }

  /**
   * Written to a temp file and renamed, so the harness never reads half a marker; the halt that
   * follows cannot lose it (the file is in the page cache, only a machine crash could).
   */
  private void writeMarker(String point) {
    if (marker == null) {
      return;
    }
    try {
      Map<String, Object> content = new LinkedHashMap<>();
      content.put("point", point);
      content.put("pid", ProcessHandle.current().pid());
      Path dir = marker.toAbsolutePath().getParent();
      Path tmp = Files.createTempFile(dir, marker.getFileName().toString(), ".tmp");
      Files.write(tmp, JSON.writeValueAsBytes(content));
      Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException | RuntimeException e) {
      // the crash must happen anyway; the harness then reports the crash as not proven
      System.err.println("cannot write the halt marker " + marker + ": " + e);
    }
  }
}
