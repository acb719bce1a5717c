package dev.cdcchaos.pipeline.consumer;

/**
 * What a poison message does to the rest of its batch. The correct pipeline dead-letters it and
 * goes on; {@link #DROP_REST_OF_BATCH} is the known-bad variant {@code dlq-drops-batch}, which
 * abandons the batch after the poison but still checkpoints past all of it.
 */
public enum PoisonRule {
  CONTINUE,
  DROP_REST_OF_BATCH
}
