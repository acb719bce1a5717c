package dev.cdcchaos.pipeline.publisher;

/**
 * What a publisher process reports in its status file after every batch.
 *
 * @param published rows this process published
 * @param batches batches this process committed
 * @param backlog unpublished outbox rows, as last counted
 * @param updatedAt when this status was written (ISO-8601)
 * @param sends what the harness's delivery faults changed in this process's sends so far
 */
public record PublisherStatus(
    String role, long published, long batches, long backlog, String updatedAt, SendCounts sends) {}
