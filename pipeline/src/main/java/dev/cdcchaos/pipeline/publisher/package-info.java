/**
 * The outbox publisher: claims unpublished outbox rows, sends them to Kafka and marks them only
 * after the sends are acknowledged. Its seams ({@link
 * dev.cdcchaos.pipeline.publisher.ClaimStrategy}, {@link
 * dev.cdcchaos.pipeline.publisher.DeliveryOrder}, {@link
 * dev.cdcchaos.pipeline.publisher.MarkStrategy}, {@link dev.cdcchaos.pipeline.publisher.SendHook})
 * make the known-bad variants and the harness's delivery faults.
 */
package dev.cdcchaos.pipeline.publisher;
