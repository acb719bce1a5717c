/**
 * The consumer: Kafka to lake to warehouse, resuming at the warehouse checkpoints. {@link
 * dev.cdcchaos.pipeline.consumer.BatchSink} is the Kafka-free core, {@link
 * dev.cdcchaos.pipeline.consumer.ConsumerService} the process loop.
 */
package dev.cdcchaos.pipeline.consumer;
