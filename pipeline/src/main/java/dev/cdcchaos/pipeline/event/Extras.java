package dev.cdcchaos.pipeline.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Payload fields the event schema does not know (schema drift), as they travel from a write through
 * the outbox to the warehouse. Every holder copies them the same way: a JSON {@code null} is a
 * value an unknown field may carry, so {@link Map#copyOf} (which rejects nulls) will not do.
 */
public final class Extras {
  private Extras() {}

  /** An unmodifiable copy that keeps the order and null values; empty for {@code null}. */
  public static Map<String, Object> copyOf(Map<String, Object> extras) {
    return extras == null || extras.isEmpty()
        ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
  }
}
