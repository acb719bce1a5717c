package dev.cdcchaos.harness.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Where a run's wall time went, phase by phase (infrastructure, set-up, pipeline start, workload,
 * drain, stop, observation, checks, report): each {@link #end} closes the phase that began at the
 * previous one. What {@code bench --verification} sorts, slowest first.
 */
final class Phases {
  private final LongSupplier nanoTime;
  private final Map<String, Long> millis = new LinkedHashMap<>();
  private long since;

  Phases(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.since = nanoTime.getAsLong();
  }

  /** The phase called {@code name} ends now; the next one begins. */
  void end(String name) {
    long now = nanoTime.getAsLong();
    millis.merge(name, (now - since) / 1_000_000, Long::sum);
    since = now;
  }

  /** Milliseconds per phase, in the order they ran. */
  Map<String, Long> millis() {
    return Collections.unmodifiableMap(new LinkedHashMap<>(millis));
  }
}
