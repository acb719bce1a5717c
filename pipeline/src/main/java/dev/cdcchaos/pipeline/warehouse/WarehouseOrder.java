package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Instant;

/**
 * A {@code wh_orders} row: the order state plus what only the warehouse keeps, the unknown payload
 * fields ({@code extrasJson}, a JSON object) and the applied event's occurred-at.
 */
public record WarehouseOrder(OrderRow row, String extrasJson, Instant updatedAt) {}
