package dev.cdcchaos.harness.pipeline;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.PoisonMessageException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a whole topic, every partition from offset 0 to its end, as the ITs' ground truth. */
final class TopicReader {
  private TopicReader() {}

  static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG,
            "read_committed");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("topic " + topic + " not read to its end within 60 s");
        }
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  static List<OrderEvent> events(String bootstrap, String topic) {
    return readAll(bootstrap, topic).stream().map(r -> decode(r.value())).toList();
  }

  static OrderEvent decode(byte[] value) {
    try {
      return EventCodec.decode(value);
    } catch (PoisonMessageException e) {
      throw new IllegalStateException("publisher sent an undecodable event: " + e.getMessage(), e);
    }
  }
}
