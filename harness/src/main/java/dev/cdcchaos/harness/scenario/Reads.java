package dev.cdcchaos.harness.scenario;

import java.time.Duration;
import java.util.Objects;

/**
 * How often the run reads the serving warehouse while it goes (scenario key {@code reads: { every:
 * 250ms }}): each read is a snapshot that {@code snapshot-consistent} and {@code monotonic-reads}
 * judge.
 */
public record Reads(Duration every) {

  public static final Duration MIN_EVERY = Duration.ofMillis(20);
  public static final Duration MAX_EVERY = Duration.ofSeconds(60);
  public static final Reads DEFAULT = new Reads(Duration.ofMillis(250));

  public Reads {
    Objects.requireNonNull(every, "every");
    if (every.compareTo(MIN_EVERY) < 0 || every.compareTo(MAX_EVERY) > 0) {
      throw new IllegalArgumentException(
          "reads.every must be between " + MIN_EVERY.toMillis() + "ms and 60s, was " + every);
    }
  }
}
