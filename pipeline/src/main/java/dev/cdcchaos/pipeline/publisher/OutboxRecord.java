package dev.cdcchaos.pipeline.publisher;

/**
 * One claimed outbox row, as much of it as the publisher sends.
 *
 * @param id the outbox row id (claim order)
 * @param payload the encoded envelope, sent as the Kafka value as is
 */
public record OutboxRecord(
    long id,
    String eventId,
    long orderId,
    String eventType,
    long version,
    int schemaVersion,
    byte[] payload) {}
