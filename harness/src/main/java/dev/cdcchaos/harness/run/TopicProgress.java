package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.model.EnvelopeReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Progress of a pipeline that does not mark its outbox (log-based capture): the change topic read
 * from offset 0 as the consumer reads it (read committed), each value decoded by the harness's
 * envelope reader. Published is the number of distinct outbox events seen in Kafka (a duplicate
 * counts once, poison not at all), and a partition's data end is the offset after its last record,
 * so a transaction marker at the end of a partition (exactly-once producers) is not a record the
 * consumer must pass.
 */
final class TopicProgress implements AutoCloseable {
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final List<TopicPartition> partitions = new ArrayList<>();
  private final Set<String> events = new HashSet<>();
  private final Map<Integer, Long> dataEnds = new TreeMap<>();

  TopicProgress(String bootstrap, String topic, int partitionCount) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-progress");
    // as the consumer reads it: an aborted transaction's records are not published
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
    consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    for (int i = 0; i < partitionCount; i++) {
      partitions.add(new TopicPartition(topic, i));
      dataEnds.put(i, 0L);
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what arrived since the last call (at most a few polls, so a tick stays short). */
  synchronized void poll() {
    try {
      for (int i = 0; i < 4; i++) {
        var records = consumer.poll(Duration.ZERO);
        if (records.isEmpty()) {
          return;
        }
        for (ConsumerRecord<byte[], byte[]> r : records) {
          String id = EnvelopeReader.eventIdOf(r.value());
          if (id != null) {
            events.add(id);
          }
          dataEnds.merge(r.partition(), r.offset() + 1, Math::max);
        }
      }
    } catch (RuntimeException e) {
      // Kafka down or partitioned from the harness: keep what was read, try again next tick
    }
  }

  /** Distinct outbox events seen in the topic so far. */
  synchronized long published() {
    return events.size();
  }

  /**
   * Per partition, the offset after its last record, once this reader has read up to the end of
   * every partition; empty while it has not (or Kafka does not answer).
   */
  synchronized Optional<Map<Integer, Long>> dataEnds() {
    try {
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(2));
      for (TopicPartition tp : partitions) {
        if (consumer.position(tp, Duration.ofSeconds(2)) < ends.get(tp)) {
          return Optional.empty();
        }
      }
      return Optional.of(new TreeMap<>(dataEnds));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
