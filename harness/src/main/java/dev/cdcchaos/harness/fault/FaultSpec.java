package dev.cdcchaos.harness.fault;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a scenario's fault schedule: what, when, and for how long.
 *
 * @param at when the fault starts
 * @param duration the scenario file's {@code for}: see {@link Fault.Healing} for what it means per
 *     kind; empty means the default of that kind
 * @param fault what happens
 */
public record FaultSpec(Trigger at, Optional<Duration> duration, Fault fault) {

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

  public static FaultSpec of(Trigger at, Fault fault) {
    return new FaultSpec(at, Optional.empty(), fault);
  }

  public static FaultSpec of(Trigger at, Duration duration, Fault fault) {
    return new FaultSpec(at, Optional.of(duration), fault);
  }
}
