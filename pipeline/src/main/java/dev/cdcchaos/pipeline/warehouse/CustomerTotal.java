package dev.cdcchaos.pipeline.warehouse;

/**
 * One row of {@code wh_customer_totals}: live (not deleted) orders and their revenue ({@link
 * dev.cdcchaos.pipeline.event.OrderRow#revenueCents()}). Customers without live orders and without
 * revenue have no row.
 */
public record CustomerTotal(long customerId, long orderCount, long revenueCents) {}
