package dev.cdcchaos.harness.history;

import java.util.Map;

/**
 * One entry of a run's history, Jepsen style: an operation is invoked, then completes ok, fails, or
 * ends as info (outcome unknown, e.g. a write whose connection dropped before the commit was
 * acknowledged). Faults are operations of the {@code nemesis} process.
 *
 * @param index position in the history, from 0
 * @param timeNanos nanoseconds since the run started (from the injected clock)
 * @param process who did it: {@code writer-3}, {@code publisher}, {@code consumer}, {@code
 *     nemesis}, {@code harness}
 * @param type invoke / ok / fail / info
 * @param f what was done: {@code create}, {@code update}, {@code cancel}, {@code delete}, {@code
 *     publish}, {@code apply}, {@code partition}, {@code kill}, {@code crash}, {@code heal}, ...
 * @param value details (order id, event ids, link, counts ...), JSON-serialisable values only
 */
public record Op(
    long index, long timeNanos, String process, Type type, String f, Map<String, Object> value) {

  /** Jepsen's operation types. */
  public enum Type {
    INVOKE,
    OK,
    FAIL,
    INFO
  }

  public Op {
    value = value == null ? Map.of() : Map.copyOf(value);
  }
}
