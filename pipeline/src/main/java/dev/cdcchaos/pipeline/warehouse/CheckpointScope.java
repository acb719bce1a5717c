package dev.cdcchaos.pipeline.warehouse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * How consumer progress is keyed: per partition (correct) or one per topic (variant {@code
 * checkpoint-ignores-partition}, where a restart seeks every partition to one offset).
 */
public enum CheckpointScope {
  PER_PARTITION {
    @Override
    public List<Checkpoint> checkpoints(String topic, Map<Integer, Long> lastOffsets) {
      List<Checkpoint> out = new ArrayList<>();
      lastOffsets.forEach((p, last) -> out.add(new Checkpoint(topic, p, last + 1)));
      return out;
    }

    @Override
    public OptionalLong seekOffset(Map<Integer, Long> stored, int partition) {
      Long next = stored.get(partition);
      return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }
  },
  PER_TOPIC {
    @Override
    public List<Checkpoint> checkpoints(String topic, Map<Integer, Long> lastOffsets) {
      return lastOffsets.values().stream()
          .max(Long::compare)
          .map(last -> List.of(new Checkpoint(topic, TOPIC_WIDE, last + 1)))
          .orElse(List.of());
    }

    @Override
    public OptionalLong seekOffset(Map<Integer, Long> stored, int partition) {
      Long next = stored.get(TOPIC_WIDE);
      return next == null ? OptionalLong.empty() : OptionalLong.of(next);
    }
  };

  /** The partition number under which {@link #PER_TOPIC} stores its one checkpoint. */
  public static final int TOPIC_WIDE = -1;

  /** The checkpoints to store after a batch whose last offset per partition is given. */
  public abstract List<Checkpoint> checkpoints(String topic, Map<Integer, Long> lastOffsets);

  /** Where to start reading {@code partition}, given the stored checkpoints by partition. */
  public abstract OptionalLong seekOffset(Map<Integer, Long> stored, int partition);
}
