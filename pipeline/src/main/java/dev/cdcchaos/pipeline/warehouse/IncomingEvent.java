package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.event.OrderEvent;

/** A decoded event together with the Kafka position it was read from, as the warehouse gets it. */
public record IncomingEvent(OrderEvent event, String topic, int partition, long offset) {}
