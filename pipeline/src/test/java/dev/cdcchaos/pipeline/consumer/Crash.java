package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.crash.CrashPoints;

/**
 * Crash points for unit tests: throws {@link Simulated} the {@code nth} time {@code point} is
 * reached. (Real runs halt the JVM; here the test catches the throw and abandons the sink, and the
 * warehouse rolls back what it had not committed, as a killed process's would be.)
 */
final class Crash implements CrashPoints {
  static final class Simulated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Simulated(String point) {
      super("simulated crash at " + point);
    }
  }

  private final String point;
  private int remaining;

  Crash(String point, int nth) {
    this.point = point;
    this.remaining = nth;
  }

  @Override
  public void reach(String p) {
    if (p.equals(point) && --remaining == 0) {
      throw new Simulated(p);
    }
  }
}
