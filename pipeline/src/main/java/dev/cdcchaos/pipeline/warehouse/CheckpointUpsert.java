package dev.cdcchaos.pipeline.warehouse;

/**
 * How a batch's checkpoint meets the one stored for its partition. The correct warehouse keeps the
 * greater of the two, so a checkpoint never moves back whoever commits; {@link #LAST_WRITER_WINS}
 * is part of the known-bad variant {@code unfenced-stale-checkpoint}, shaped after
 * apache/iceberg#17551 (a coordinator that committed its offsets over newer ones, fixed by
 * apache/iceberg#17552: "only commits offsets when greater than existing offsets").
 */
public enum CheckpointUpsert {
  KEEP_GREATEST("greatest(wh_checkpoints.next_offset, excluded.next_offset)"),
  LAST_WRITER_WINS("excluded.next_offset");

  final String nextOffset;

  CheckpointUpsert(String nextOffset) {
    this.nextOffset = nextOffset;
  }

  /** The statement that stores one checkpoint: topic, partition, next offset as parameters. */
  String sql() {
    return """
        INSERT INTO wh_checkpoints (topic, kafka_partition, next_offset) VALUES (?, ?, ?)
        ON CONFLICT (topic, kafka_partition) DO UPDATE SET
          next_offset = %s
        """
        .formatted(nextOffset);
  }
}
