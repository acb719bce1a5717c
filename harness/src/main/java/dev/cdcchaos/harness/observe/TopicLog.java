package dev.cdcchaos.harness.observe;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.PoisonAt;
import dev.cdcchaos.harness.model.EnvelopeReader;
import dev.cdcchaos.harness.model.PoisonClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic back from offset 0 with a plain byte-array consumer and decodes every value with
 * the harness's {@link EnvelopeReader}.
 */
public final class TopicLog {

  private static final Duration READ_WITHIN = Duration.ofSeconds(120);

  private TopicLog() {}

  /**
   * Every record of the topic and the end offsets it was read to.
   *
   * @param claims what the records at the asked coordinates claim to be (see {@link PoisonClaim})
   */
  public record Topic(List<KafkaRecord> records, List<Checkpoint> ends, List<PoisonAt> claims) {}

  /**
   * Reads every record of {@code topic} from offset 0 to the end offsets taken at the start.
   *
   * @param claimAt records whose claims to read (the injected poison); only their coordinates count
   * @throws IllegalStateException when the end is not reached within 120 s
   */
  public static Topic read(String bootstrap, String topic, Collection<KafkaRecord> claimAt) {
    return read(bootstrap, topic, claimAt, topic);
  }

  /**
   * As {@link #read(String, String, Collection)}, the records and ends named {@code recordedAs} (a
   * later incarnation of a recreated topic, see {@link dev.cdcchaos.harness.check.Incarnations});
   * {@code claimAt} names them so too.
   */
  public static Topic read(
      String bootstrap, String topic, Collection<KafkaRecord> claimAt, String recordedAs) {
    Set<String> wanted = new HashSet<>();
    claimAt.forEach(r -> wanted.add(key(r.topic(), r.partition(), r.offset())));
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-oracle");
    // the log as every transaction-aware consumer sees it: records of aborted transactions (an
    // exactly-once worker killed mid-transaction) were never written, for the pipeline's consumer
    // and replay (both read committed) nor for the oracle; a non-transactional topic reads the same
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<KafkaRecord> records = new ArrayList<>();
    List<Checkpoint> ends = new ArrayList<>();
    List<PoisonAt> claims = new ArrayList<>();
    Map<TopicPartition, Long> end;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map((PartitionInfo i) -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + READ_WITHIN.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read topic "
                  + topic
                  + " to its end offsets "
                  + end
                  + " within "
                  + READ_WITHIN.toSeconds()
                  + " s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          records.add(
              KafkaRecord.of(
                  recordedAs,
                  r.partition(),
                  r.offset(),
                  EnvelopeReader.read(r.value()).eventOrNull()));
          if (wanted.contains(key(recordedAs, r.partition(), r.offset()))) {
            claims.add(
                new PoisonAt(recordedAs, r.partition(), r.offset(), PoisonClaim.of(r.value())));
          }
        }
      }
    }
    // a partition's end is the offset after its last record: a transactional producer (Kafka
    // Connect's exactly-once source support) ends a partition with a commit marker, an offset that
    // holds no record, so no consumer's checkpoint ever points past it
    Map<Integer, Long> dataEnds = new java.util.TreeMap<>();
    for (KafkaRecord r : records) {
      dataEnds.merge(r.partition(), r.offset() + 1, Math::max);
    }
    end.keySet().stream()
        .map(TopicPartition::partition)
        .sorted()
        .forEach(
            part -> ends.add(new Checkpoint(recordedAs, part, dataEnds.getOrDefault(part, 0L))));
    return new Topic(records, ends, claims);
  }

  private static String key(String topic, int partition, long offset) {
    return topic + "-" + partition + "@" + offset;
  }
}
