package dev.cdcchaos.harness.model;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One change event as the oracle reads it from the envelope (see {@code docs/envelope.md}): the
 * full order state after the change and its aggregate version. {@code extras} holds the fields the
 * envelope schema does not know (schema drift), top-level ones by name and those inside {@code
 * state} as {@code state.<name>}, in the order they came, JSON {@code null} values included.
 */
public record Event(
    String eventId,
    String idempotencyKey,
    long orderId,
    String type,
    long version,
    long schemaVersion,
    Instant occurredAt,
    OrderState state,
    Map<String, Object> extras) {

  public static final String ORDER_CREATED = "ORDER_CREATED";
  public static final String ORDER_UPDATED = "ORDER_UPDATED";
  public static final String ORDER_CANCELLED = "ORDER_CANCELLED";

  /** The one type whose state is a tombstone. */
  public static final String ORDER_DELETED = "ORDER_DELETED";

  /** Every event type the contract knows. */
  public static final List<String> TYPES =
      List.of(ORDER_CREATED, ORDER_UPDATED, ORDER_CANCELLED, ORDER_DELETED);

  public Event {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(state, "state");
    // a JSON null is a value an unknown field may carry, so Map.copyOf (no nulls) will not do
    extras =
        extras == null || extras.isEmpty()
            ? Map.of()
            : Collections.unmodifiableMap(new LinkedHashMap<>(extras));
  }
}
