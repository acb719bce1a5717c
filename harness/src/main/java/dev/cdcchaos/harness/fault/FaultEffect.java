package dev.cdcchaos.harness.fault;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;
import java.util.Objects;

/**
 * Whether one scheduled fault took effect, with its evidence, as {@code results.json} and the
 * reports show it. A fault that did not take effect proves nothing about the run, so unless it is
 * {@code optional} it makes the run's verdict unknown.
 *
 * @param index the fault's position in the scenario's {@code faults} (from 0)
 * @param fault the fault in one line: kind, target, trigger, window
 * @param kind the fault kind ({@code partition}, {@code crash} ...)
 * @param target what it hit: a link, a process, the publishers, the workload
 * @param point the crash point of a {@code crash}; null for other kinds
 * @param optional whether the scenario allows it not to take effect
 * @param fired whether its trigger was reached
 * @param tookEffect whether the evidence shows it changed something
 * @param evidence one line for people: what was seen, or why it did not take effect
 * @param counts the figures behind the line (bytes dropped, connections cut, pid, exit code ...)
 */
public record FaultEffect(
    int index,
    String fault,
    String kind,
    String target,
    @JsonInclude(JsonInclude.Include.NON_NULL) String point,
    boolean optional,
    boolean fired,
    @JsonProperty("took_effect") boolean tookEffect,
    String evidence,
    Map<String, Long> counts) {

  public FaultEffect {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(evidence, "evidence");
    counts = counts == null ? Map.of() : Map.copyOf(counts);
  }

  /** Whether the run's verdict must become unknown because of this fault. */
  public boolean spoilsTheRun() {
    return !tookEffect && !optional;
  }
}
