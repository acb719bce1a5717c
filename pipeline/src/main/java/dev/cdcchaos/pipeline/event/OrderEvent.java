package dev.cdcchaos.pipeline.event;

import java.time.Instant;
import java.util.Map;

/**
 * One outbox event as it travels from Postgres through Kafka to the warehouse and the lake.
 *
 * <p>An event is the full row state after the change plus the aggregate version, never a partial
 * diff, so applying it is idempotent and order-insensitive under the version guard. {@code extras}
 * holds payload fields this schema version does not know (schema drift); they are kept, never a
 * reason to reject the event; they keep the order they came in, and may be JSON {@code null}.
 *
 * @param eventId unique id of this event (a UUID string)
 * @param idempotencyKey stable across retries of the same logical change
 * @param orderId the aggregate id, also the Kafka key
 * @param version the aggregate version after the change; 1 for the create
 * @param schemaVersion the envelope schema version
 * @param state the order after the change ({@code state.version() == version})
 */
public record OrderEvent(
    String eventId,
    String idempotencyKey,
    long orderId,
    EventType type,
    long version,
    int schemaVersion,
    Instant occurredAt,
    OrderRow state,
    Map<String, Object> extras) {

  public OrderEvent {
    extras = Extras.copyOf(extras);
  }
}
