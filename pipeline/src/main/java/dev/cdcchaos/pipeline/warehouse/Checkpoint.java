package dev.cdcchaos.pipeline.warehouse;

/**
 * Consumer progress stored in the warehouse: the next Kafka offset to read for one partition
 * ({@link CheckpointScope#PER_TOPIC} stores {@code partition = -1}).
 */
public record Checkpoint(String topic, int partition, long nextOffset) {}
