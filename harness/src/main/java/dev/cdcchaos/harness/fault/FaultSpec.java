package dev.cdcchaos.harness.fault;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a scenario's fault schedule: what, when, for how long, and whether the run may stand
 * without it.
 *
 * @param at when the fault starts
 * @param duration the scenario file's {@code for}: see {@link Fault.Healing} for what it means per
 *     kind; empty means the default of that kind
 * @param fault what happens
 * @param optional the scenario's {@code optional: true}: a run in which this fault did not take
 *     effect (its trigger was not reached, it hit an idle link ...) keeps its verdict instead of
 *     becoming unknown. Its evidence is reported all the same
 */
public record FaultSpec(Trigger at, Optional<Duration> duration, Fault fault, boolean optional) {

  public FaultSpec {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(fault, "fault");
    if (duration.isPresent() && fault.healing() == Fault.Healing.INSTANT) {
      throw new IllegalArgumentException(fault.kind() + " is instantaneous and takes no duration");
    }
    if (duration.isPresent() && duration.get().isNegative()) {
      throw new IllegalArgumentException("duration must not be negative: " + duration.get());
    }
  }

  /** A fault the run's verdict depends on (not optional). */
  public FaultSpec(Trigger at, Optional<Duration> duration, Fault fault) {
    this(at, duration, fault, false);
  }

  public static FaultSpec of(Trigger at, Fault fault) {
    return new FaultSpec(at, Optional.empty(), fault);
  }

  public static FaultSpec of(Trigger at, Duration duration, Fault fault) {
    return new FaultSpec(at, Optional.of(duration), fault);
  }

  /** The same fault with another trigger. */
  public FaultSpec withAt(Trigger trigger) {
    return new FaultSpec(trigger, duration, fault, optional);
  }

  /** The same fault, optional or not. */
  public FaultSpec withOptional(boolean value) {
    return new FaultSpec(at, duration, fault, value);
  }
}
