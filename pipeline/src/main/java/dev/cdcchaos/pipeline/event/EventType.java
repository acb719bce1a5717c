package dev.cdcchaos.pipeline.event;

/**
 * The kinds of change an order goes through; each is an outbox event carrying the full state after
 * it.
 */
public enum EventType {
  ORDER_CREATED,
  ORDER_UPDATED,
  ORDER_CANCELLED,
  /** The state is a tombstone: {@link OrderRow#deleted()} is true and the source row is gone. */
  ORDER_DELETED
}
