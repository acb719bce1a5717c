package dev.cdcchaos.harness.fault;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * When a fault starts: at a time offset from the start of the workload, or when a progress counter
 * of the pipeline reaches a value (so a fault can hit the middle of the stream whatever the speed
 * of the machine).
 */
public sealed interface Trigger permits Trigger.After, Trigger.Progress {

  /** Starts the fault {@code offset} after the workload started. */
  record After(Duration offset) implements Trigger {
    public After {
      if (offset.isNegative()) {
        throw new IllegalArgumentException("offset must not be negative: " + offset);
      }
    }
  }

  /** Starts the fault once {@code counter} reached {@code count}. */
  record Progress(Counter counter, long count) implements Trigger {
    public Progress {
      if (count < 0) {
        throw new IllegalArgumentException("count must not be negative: " + count);
      }
    }
  }

  /** The pipeline progress counters a fault can wait for. */
  enum Counter {
    /** Outbox events committed by the writers in Postgres. */
    EVENTS_COMMITTED("events_committed"),
    /** Events the publisher got acknowledged by Kafka. */
    EVENTS_PUBLISHED("events_published"),
    /** Events the consumer applied to the warehouse (committed DuckDB transactions). */
    EVENTS_APPLIED("events_applied");

    private final String key;

    Counter(String key) {
      this.key = key;
    }

    /** The key used in scenario files. */
    public String key() {
      return key;
    }

    public static Optional<Counter> parse(String key) {
      return Arrays.stream(values()).filter(c -> c.key.equals(key)).findFirst();
    }

    public static List<String> keys() {
      return Arrays.stream(values()).map(Counter::key).toList();
    }
  }
}
