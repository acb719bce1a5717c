package dev.cdcchaos.pipeline.replay;

import dev.cdcchaos.pipeline.consumer.BatchAssembler;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.LakeRecord;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.Warehouse;
import dev.cdcchaos.pipeline.warehouse.WarehouseTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Rebuilds a fresh warehouse from the lake or from Kafka offset 0, through the same assembler and
 * apply code as the live consumer, always with the correct strategies: the rebuilt warehouse is the
 * reference the live one must equal. Duplicates are absorbed by the ledger (dedup by event id) and
 * poison is dead-lettered again.
 */
public final class Replay {
  /** Batch size of a replay, the consumer's default. */
  public static final int BATCH_SIZE = 5_000;

  private Replay() {}

  /** What a replay read and what the rebuilt warehouse holds. */
  public record Result(long records, long batches, WarehouseTotals totals) {}

  /** Rebuilds {@code newWarehouse} (must not exist yet) from every record of the lake. */
  public static Result fromLake(Path lakeRoot, Path newWarehouse) {
    requireFresh(newWarehouse);
    BatchAssembler assembler = BatchAssembler.correct();
    Clock clock = Clock.systemUTC();
    try (Warehouse wh = Warehouse.open(newWarehouse)) {
      long[] counts = new long[2];
      List<LakeRecord> buffer = new ArrayList<>(BATCH_SIZE);
      Consumer<List<LakeRecord>> flush =
          b -> {
            wh.applyBatch(assembler.assembleDecoded(b, clock.instant()).warehouseBatch());
            counts[0] += b.size();
            counts[1]++;
            b.clear();
          };
      for (Path file : LakeReader.files(lakeRoot)) {
        LakeReader.readFile(
            file,
            r -> {
              buffer.add(r);
              if (buffer.size() >= BATCH_SIZE) {
                flush.accept(buffer);
              }
            });
      }
      if (!buffer.isEmpty()) {
        flush.accept(buffer);
      }
      return new Result(counts[0], counts[1], wh.totals());
    }
  }

  /** Rebuilds {@code newWarehouse} from Kafka offset 0 up to the end offsets seen at the start. */
  public static Result fromKafka(String bootstrapServers, String topic, Path newWarehouse) {
    return fromKafka(bootstrapServers, topic, newWarehouse, Duration.ofMinutes(5));
  }

  /**
   * As {@link #fromKafka(String, String, Path)}; fails with {@link IllegalStateException} when the
   * end offsets are not reached within {@code timeout}.
   */
  public static Result fromKafka(
      String bootstrapServers, String topic, Path newWarehouse, Duration timeout) {
    requireFresh(newWarehouse);
    BatchAssembler assembler = BatchAssembler.correct();
    Clock clock = Clock.systemUTC();
    Instant deadline = clock.instant().plus(timeout);
    try (Warehouse wh = Warehouse.open(newWarehouse);
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props(bootstrapServers))) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "topic " + topic + " does not exist at " + bootstrapServers);
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo i : infos) {
        tps.add(new TopicPartition(topic, i.partition()));
      }
      consumer.assign(tps);
      consumer.seekToBeginning(tps);
      Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(tps, timeout));
      long records = 0;
      long batches = 0;
      while (!reached(consumer, end)) {
        if (clock.instant().isAfter(deadline)) {
          throw new IllegalStateException(
              "replay from Kafka did not reach the end offsets " + end + " within " + timeout);
        }
        List<RawRecord> batch = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() < end.get(new TopicPartition(r.topic(), r.partition()))) {
            batch.add(ConsumerService.toRaw(r));
          }
        }
        if (!batch.isEmpty()) {
          wh.applyBatch(assembler.assemble(batch, clock.instant()).warehouseBatch());
          records += batch.size();
          batches++;
        }
      }
      return new Result(records, batches, wh.totals());
    }
  }

  private static boolean reached(
      KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (consumer.position(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    return true;
  }

  private static Properties props(String bootstrapServers) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(BATCH_SIZE));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-replay");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return p;
  }

  private static void requireFresh(Path newWarehouse) {
    Path wal = newWarehouse.resolveSibling(newWarehouse.getFileName() + ".wal");
    if (Files.exists(newWarehouse) || Files.exists(wal)) {
      throw new IllegalArgumentException(
          "replay needs a fresh warehouse file, but " + newWarehouse + " already exists");
    }
  }
}
