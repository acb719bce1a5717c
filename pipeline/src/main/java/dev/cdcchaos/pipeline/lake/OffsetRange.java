package dev.cdcchaos.pipeline.lake;

/** The Kafka offsets one lake file holds, both ends inclusive. */
public record OffsetRange(String topic, int partition, long first, long last) {}
