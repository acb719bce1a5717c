package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Hand-built events and batches for warehouse, lake and consumer tests. */
public final class TestEvents {
  public static final String TOPIC = "cdc.orders";
  public static final Instant T0 = Instant.parse("2026-11-24T10:00:00Z");

  private TestEvents() {}

  /** Event {@code e-<order>-<version>} for customer {@code order % 10}. */
  public static OrderEvent event(long orderId, long version, String status, long totalCents) {
    return event(orderId, version, orderId % 10, status, totalCents, Map.of());
  }

  public static OrderEvent event(
      long orderId,
      long version,
      long customerId,
      String status,
      long totalCents,
      Map<String, Object> extras) {
    EventType type =
        version == 1
            ? EventType.ORDER_CREATED
            : "CANCELLED".equals(status) ? EventType.ORDER_CANCELLED : EventType.ORDER_UPDATED;
    return new OrderEvent(
        "e-" + orderId + "-" + version,
        "k-" + orderId + "-" + version,
        orderId,
        type,
        version,
        1,
        T0.plusMillis(version),
        new OrderRow(orderId, customerId, status, totalCents, "EUR", version, false),
        extras);
  }

  public static OrderEvent deleted(long orderId, long version, long totalCents) {
    return new OrderEvent(
        "e-" + orderId + "-" + version,
        "k-" + orderId + "-" + version,
        orderId,
        EventType.ORDER_DELETED,
        version,
        1,
        T0.plusMillis(version),
        new OrderRow(orderId, orderId % 10, "DELETED", totalCents, "EUR", version, true),
        Map.of());
  }

  /** A batch on partition 0 starting at {@code firstOffset}, checkpoint past its last event. */
  public static WarehouseBatch batch(long firstOffset, OrderEvent... events) {
    List<IncomingEvent> in = new ArrayList<>();
    long offset = firstOffset;
    for (OrderEvent e : events) {
      in.add(new IncomingEvent(e, TOPIC, 0, offset++));
    }
    return new WarehouseBatch(in, List.of(), List.of(new Checkpoint(TOPIC, 0, offset)));
  }
}
