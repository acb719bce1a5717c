package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Kafka record's coordinates, and a partition's; the keys the lake and checkpoints use. */
record Coord(String topic, int partition, long offset) implements Comparable<Coord> {

  private static final Comparator<Coord> ORDER =
      Comparator.comparing(Coord::topic)
          .thenComparingInt(Coord::partition)
          .thenComparingLong(Coord::offset);

  static Coord of(KafkaRecord r) {
    return new Coord(r.topic(), r.partition(), r.offset());
  }

  /** The partition alone (offset 0), as a map key. */
  Coord partitionKey() {
    return new Coord(topic, partition, 0);
  }

  @Override
  public int compareTo(Coord o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return Evidence.coords(topic, partition, offset);
  }

  /**
   * The next offset to be written per partition: the observed ends, or {@code max(offset) + 1} of
   * the records when none were observed.
   */
  static Map<Coord, Long> partitionEnds(Observation o) {
    Map<Coord, Long> ends = new HashMap<>();
    if (!o.partitionEnds().isEmpty()) {
      for (Checkpoint c : o.partitionEnds()) {
        ends.put(new Coord(c.topic(), c.partition(), 0), c.nextOffset());
      }
      return ends;
    }
    for (KafkaRecord r : o.kafkaRecords()) {
      ends.merge(Coord.of(r).partitionKey(), r.offset() + 1, Math::max);
    }
    return ends;
  }

  /** The final checkpoint per partition. */
  static Map<Coord, Long> checkpoints(List<Checkpoint> checkpoints) {
    Map<Coord, Long> byPartition = new HashMap<>();
    for (Checkpoint c : checkpoints) {
      byPartition.put(new Coord(c.topic(), c.partition(), 0), c.nextOffset());
    }
    return byPartition;
  }
}
