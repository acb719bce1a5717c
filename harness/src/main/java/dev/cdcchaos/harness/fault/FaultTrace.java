package dev.cdcchaos.harness.fault;

import java.util.Objects;
import java.util.Optional;

/**
 * One fault of the schedule that fired, and what the harness saw of it. A scheduled fault without a
 * trace never fired.
 *
 * @param index the fault's position in the scenario's {@code faults} (from 0)
 * @param startedMs when it was in place, ms since the run started
 * @param healedMs when it healed; empty for one-off faults and faults that never healed
 * @param observed the evidence gathered
 */
public record FaultTrace(int index, long startedMs, Optional<Long> healedMs, Observed observed) {
  public FaultTrace {
    Objects.requireNonNull(healedMs, "healedMs");
    Objects.requireNonNull(observed, "observed");
  }
}
