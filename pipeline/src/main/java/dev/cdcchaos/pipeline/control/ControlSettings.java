package dev.cdcchaos.pipeline.control;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import dev.cdcchaos.pipeline.crash.CrashPoints;

/**
 * What the harness asks of a running pipeline process through its control file: a crash point to
 * arm, the delivery faults of the publisher's send hook, and a point where a writer holds its open
 * transaction. Every part is optional; an empty file means "behave like production".
 *
 * <p>Example: {@code {"crash": {"point": "publisher.before-mark", "afterHits": 2}, "send":
 * {"duplicateFraction": 0.2, "reorderWindow": 10, "dropThenRetryFraction": 0.1, "delayMs": 0,
 * "seed": 7}}}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record ControlSettings(Crash crash, Send send, Hold hold) {

  /** No crash armed, no delivery faults, no hold. */
  public static final ControlSettings NONE = new ControlSettings(null, null, null);

  /** A crash and delivery faults, no hold. */
  public ControlSettings(Crash crash, Send send) {
    this(crash, send, null);
  }

  /** These settings with {@code hold} (null: none). */
  public ControlSettings withHold(Hold hold) {
    return new ControlSettings(crash, send, hold);
  }

  /**
   * A writer that reaches {@code point} stops there, inside its open transaction, until the hold is
   * lifted (or replaced by one of another {@code id}), at most a bounded time; each writer holds
   * once per {@code id}. The harness holds writers there to cut their link while their transactions
   * are open.
   */
  public record Hold(String point, long id) {
    public Hold {
      if (point == null || !point.startsWith("writer.") || !CrashPoints.ALL.contains(point)) {
        throw new IllegalArgumentException(
            "hold.point '"
                + point
                + "' is not a writer's crash point, expected one of "
                + CrashPoints.ALL.stream().filter(p -> p.startsWith("writer.")).toList());
      }
    }
  }

  /**
   * Halt the process the {@code afterHits}-th time {@code point} is reached (1 = the first time).
   */
  public record Crash(String point, int afterHits) {
    public Crash {
      if (point == null || !CrashPoints.ALL.contains(point)) {
        throw new IllegalArgumentException(
            "crash.point '" + point + "' is not a crash point, expected one of " + CrashPoints.ALL);
      }
      if (afterHits == 0) {
        afterHits = 1;
      }
      if (afterHits < 1) {
        throw new IllegalArgumentException("crash.afterHits must be >= 1, was " + afterHits);
      }
    }
  }

  /**
   * Delivery faults of the publisher's sends, drawn from {@code seed}: a fraction of sends sent
   * twice, a fraction dropped on the first attempt and retried at the end of the batch, sends
   * shuffled within windows of {@code reorderWindow} records, and a pause of {@code delayMs} before
   * each batch is sent.
   */
  public record Send(
      double duplicateFraction,
      int reorderWindow,
      double dropThenRetryFraction,
      long delayMs,
      long seed) {
    public Send {
      requireFraction("send.duplicateFraction", duplicateFraction);
      requireFraction("send.dropThenRetryFraction", dropThenRetryFraction);
      if (reorderWindow < 0) {
        throw new IllegalArgumentException("send.reorderWindow must be >= 0, was " + reorderWindow);
      }
      if (delayMs < 0) {
        throw new IllegalArgumentException("send.delayMs must be >= 0, was " + delayMs);
      }
    }

    private static void requireFraction(String field, double value) {
      if (!(value >= 0.0 && value <= 1.0)) {
        throw new IllegalArgumentException(field + " must be within [0, 1], was " + value);
      }
    }
  }
}
