package dev.cdcchaos.harness.scenario;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The scenario's {@code pipeline:}: which pipeline runs it, and the knobs it turns. Smaller batches
 * make crash points and progress triggers land mid-stream in small workloads.
 *
 * @param publisherBatch outbox rows the publisher claims per transaction (Debezium: max.batch.size)
 * @param consumerBatch records the consumer applies per warehouse transaction (max poll size)
 * @param underTest the pipeline the file picks ({@code reference}, {@code debezium}); empty: the
 *     command line's {@code --pipeline}, else the reference
 * @param settings other pipeline settings as text ({@code exactly_once: "true"}), handed to the
 *     stages in their settings file
 */
public record PipelineSettings(
    int publisherBatch,
    int consumerBatch,
    Optional<String> underTest,
    Map<String, String> settings) {

  public static final int MAX_BATCH = 100_000;
  public static final PipelineSettings DEFAULT = new PipelineSettings(500, 2000);

  public PipelineSettings {
    if (publisherBatch < 1 || publisherBatch > MAX_BATCH) {
      throw new IllegalArgumentException("publisherBatch must be in 1.." + MAX_BATCH);
    }
    if (consumerBatch < 1 || consumerBatch > MAX_BATCH) {
      throw new IllegalArgumentException("consumerBatch must be in 1.." + MAX_BATCH);
    }
    settings = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(settings));
  }

  /** Batch sizes only: the pipeline is the command line's, without other settings. */
  public PipelineSettings(int publisherBatch, int consumerBatch) {
    this(publisherBatch, consumerBatch, Optional.empty(), Map.of());
  }

  /** Every setting as the stages get it: the batch sizes and the others. */
  public Map<String, String> all() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("publisher_batch", Integer.toString(publisherBatch));
    m.put("consumer_batch", Integer.toString(consumerBatch));
    m.putAll(settings);
    return m;
  }
}
