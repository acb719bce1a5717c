package dev.cdcchaos.pipeline.consumer;

/**
 * What a poison message does to the rest of its batch. The correct pipeline dead-letters it and
 * goes on; {@link #DROP_REST_OF_BATCH} is the known-bad variant {@code dlq-drops-batch}, which
 * abandons the batch after the poison but still checkpoints past all of it; {@link #RETRY_FOREVER}
 * is {@code poison-retried-forever} (spring-projects/spring-kafka#1287): the batch fails at the
 * poison and is taken again from the checkpoints, forever, while the consumer says it is running.
 */
public enum PoisonRule {
  CONTINUE,
  DROP_REST_OF_BATCH,
  RETRY_FOREVER
}
