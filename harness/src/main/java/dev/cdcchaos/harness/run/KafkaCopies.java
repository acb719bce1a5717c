package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.model.EnvelopeReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many copies of the outbox events the change topic holds, read as a read-committed consumer
 * sees it (what an exactly-once producer promises) and as a read-uncommitted one does (records of
 * aborted transactions included, as the reference consumer reads): the duplicates in Kafka that a
 * publisher's retries or a worker's replay after a crash left for the ledger to absorb.
 *
 * @param records valid event records in the topic
 * @param events distinct outbox events among them
 */
record KafkaCopies(long records, long events) {

  /** Records beyond the first copy of each event. */
  long duplicates() {
    return records - events;
  }

  /** Counts the copies among records already read (read committed, by the observation). */
  static KafkaCopies of(List<dev.cdcchaos.harness.check.Observation.KafkaRecord> read) {
    Map<String, Integer> copies = new HashMap<>();
    long records = 0;
    for (var r : read) {
      if (r.eventId() != null) {
        records++;
        copies.merge(r.eventId(), 1, Integer::sum);
      }
    }
    return new KafkaCopies(records, copies.size());
  }

  /** Reads the whole topic with the given isolation level. */
  static KafkaCopies read(String bootstrap, String topic, int partitions, boolean committedOnly) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-copies");
    p.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    Map<String, Integer> copies = new HashMap<>();
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> c =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (int i = 0; i < partitions; i++) {
        tps.add(new TopicPartition(topic, i));
      }
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> ends = c.endOffsets(tps, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (tps.stream().anyMatch(tp -> c.position(tp) < ends.get(tp))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(200))) {
          String id = EnvelopeReader.eventIdOf(r.value());
          if (id != null) {
            records++;
            copies.merge(id, 1, Integer::sum);
          }
        }
      }
    }
    return new KafkaCopies(records, copies.size());
  }
}
