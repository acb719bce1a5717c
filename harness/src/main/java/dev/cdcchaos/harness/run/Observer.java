package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.event.PoisonMessageException;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.replay.Replay;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the checkers look at once the pipeline stopped: the source tables, every Kafka record
 * from offset 0, the warehouse file, the lake, and two fresh warehouses rebuilt from the lake and
 * from Kafka.
 */
final class Observer {
  private Observer() {}

  /** The source side: every outbox event in outbox order and the live {@code orders} rows. */
  record Source(
      List<OrderEvent> outbox, Map<Long, OrderRow> orders, java.util.Set<String> markedPublished) {}

  static Source source(DataSource ds) throws SQLException {
    List<OrderEvent> outbox = new ArrayList<>();
    Map<Long, OrderRow> orders = new LinkedHashMap<>();
    java.util.Set<String> marked = new java.util.HashSet<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      // outbox and orders from one snapshot: they are written in one transaction
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT payload, published_at IS NOT NULL FROM outbox_events ORDER BY id")) {
        while (rs.next()) {
          try {
            OrderEvent event =
                EventCodec.decode(
                    rs.getString(1).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            outbox.add(event);
            if (rs.getBoolean(2)) {
              marked.add(event.eventId());
            }
          } catch (PoisonMessageException e) {
            throw new IllegalStateException(
                "the source outbox holds an undecodable event: " + e.getMessage(), e);
          }
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT order_id, customer_id, status, total_cents, currency, version FROM orders ORDER BY order_id")) {
        while (rs.next()) {
          OrderRow row =
              new OrderRow(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getLong(6),
                  false);
          orders.put(row.orderId(), row);
        }
      }
      c.commit();
    }
    return new Source(outbox, orders, marked);
  }

  /** Every record of {@code topic} from offset 0 to the current end, and the end offsets. */
  record Topic(List<KafkaRecord> records, List<Checkpoint> ends) {}

  static Topic topic(String bootstrap, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    List<KafkaRecord> records = new ArrayList<>();
    List<Checkpoint> ends = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
              .map((PartitionInfo i) -> new TopicPartition(topic, i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      end.forEach((tp, off) -> ends.add(new Checkpoint(topic, tp.partition(), off)));
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read topic " + topic + " to its end within 120 s");
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          RawRecord raw = ConsumerService.toRaw(r);
          records.add(new KafkaRecord(r.topic(), r.partition(), r.offset(), eventId(raw)));
        }
      }
    }
    return new Topic(records, ends);
  }

  /** The event id a record carries, or null for records that are not events. */
  static String eventId(RawRecord raw) {
    try {
      return EventCodec.decode(raw.value()).eventId();
    } catch (PoisonMessageException e) {
      return null;
    }
  }

  /** The warehouse file as the checkers see it. */
  record Warehouse(
      List<OrderRow> rows,
      List<CustomerTotal> totals,
      List<AppliedEvent> ledger,
      List<DeadLetter> deadLetters,
      List<Checkpoint> checkpoints,
      List<dev.cdcchaos.pipeline.warehouse.LedgerEntry> ledgerEntries) {

    Map<Long, OrderRow> byOrder() {
      Map<Long, OrderRow> m = new LinkedHashMap<>();
      for (OrderRow r : rows) {
        m.put(r.orderId(), r);
      }
      return m;
    }
  }

  static Warehouse warehouse(Path file) {
    try (WarehouseReader reader = WarehouseReader.open(file)) {
      return new Warehouse(
          reader.orders(),
          reader.customerTotals().stream()
              .map(t -> new CustomerTotal(t.customerId(), t.orderCount(), t.revenueCents()))
              .toList(),
          reader.ledger().stream()
              .map(
                  e ->
                      new AppliedEvent(
                          e.eventId(),
                          e.orderId(),
                          e.version(),
                          e.topic(),
                          e.partition(),
                          e.offset(),
                          e.duplicates()))
              .toList(),
          reader.deadLetters().stream()
              .map(
                  d ->
                      new DeadLetter(d.topic(), d.partition(), d.offset(), d.eventId(), d.reason()))
              .toList(),
          reader.checkpoints().stream()
              .map(c -> new Checkpoint(c.topic(), c.partition(), c.nextOffset()))
              .toList(),
          reader.ledger());
    }
  }

  static List<LakeRecord> lake(Path lakeRoot) {
    List<LakeRecord> out = new ArrayList<>();
    if (!Files.isDirectory(lakeRoot)) {
      return out;
    }
    for (Path file : LakeReader.files(lakeRoot)) {
      String name = lakeRoot.relativize(file).toString();
      LakeReader.readFile(
          file,
          r ->
              out.add(
                  new LakeRecord(
                      name,
                      r.raw().topic(),
                      r.raw().partition(),
                      r.raw().offset(),
                      r.event() == null ? null : r.event().eventId())));
    }
    return out;
  }

  /** {@code wh_orders} of a fresh warehouse rebuilt from the lake. */
  static Map<Long, OrderRow> replayFromLake(Path lakeRoot, Path into) {
    Replay.fromLake(lakeRoot, into);
    return warehouse(into).byOrder();
  }

  /** {@code wh_orders} of a fresh warehouse rebuilt from Kafka offset 0. */
  static Map<Long, OrderRow> replayFromKafka(String bootstrap, String topic, Path into) {
    Replay.fromKafka(bootstrap, topic, into);
    return warehouse(into).byOrder();
  }

  static <T> Map<Long, T> index(List<T> items, Function<T, Long> key) {
    return items.stream()
        .collect(Collectors.toMap(key, Function.identity(), (a, b) -> b, HashMap::new));
  }
}
