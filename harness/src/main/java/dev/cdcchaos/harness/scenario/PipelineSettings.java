package dev.cdcchaos.harness.scenario;

/**
 * Knobs of the pipeline processes a scenario may turn: smaller batches make crash points and
 * progress triggers land mid-stream in small workloads.
 *
 * @param publisherBatch outbox rows the publisher claims per transaction
 * @param consumerBatch records the consumer applies per warehouse transaction (max poll size)
 */
public record PipelineSettings(int publisherBatch, int consumerBatch) {

  public static final int MAX_BATCH = 100_000;
  public static final PipelineSettings DEFAULT = new PipelineSettings(500, 2000);

  public PipelineSettings {
    if (publisherBatch < 1 || publisherBatch > MAX_BATCH) {
      throw new IllegalArgumentException("publisherBatch must be in 1.." + MAX_BATCH);
    }
    if (consumerBatch < 1 || consumerBatch > MAX_BATCH) {
      throw new IllegalArgumentException("consumerBatch must be in 1.." + MAX_BATCH);
    }
  }
}
