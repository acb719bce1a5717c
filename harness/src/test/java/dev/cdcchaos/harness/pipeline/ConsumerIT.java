package dev.cdcchaos.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.consumer.ConsumerSettings;
import dev.cdcchaos.pipeline.consumer.ConsumerStatus;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.LakeRecord;
import dev.cdcchaos.pipeline.replay.Replay;
import dev.cdcchaos.pipeline.warehouse.CustomerTotal;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The consumer against a real Kafka broker: end to end with duplicates, out-of-order versions,
 * poison and schema drift; replay from Kafka and from the lake equal the live warehouse; a consumer
 * process halted at each consumer crash point and restarted converges with an exact lake; SIGTERM
 * stops it cleanly.
 */
class ConsumerIT {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static LocalInfrastructure infra;
  private static Path work;
  private String topic;
  private Path dir;
  private final List<OrderEvent> sent = new ArrayList<>();
  private int poisonSent;
  private long recordsSent;

  @BeforeAll
  static void infrastructure() {
    infra = LocalInfrastructure.shared(1);
    work = ItDirs.fresh("consumer");
  }

  @BeforeEach
  void freshTopic() throws Exception {
    topic = "consumer-it-" + ProcessHandle.current().pid() + "-" + TOPICS.incrementAndGet();
    infra.kafka().createTopic(topic, 3, 1, Map.of());
    dir = Files.createTempDirectory(work, topic);
  }

  private String bootstrap() {
    return infra.directBootstrap();
  }

  /**
   * 150 orders, 1-4 versions each; 10% of events sent twice, some versions sent newest first, a
   * poison message every 100 records and schema drift on a few events.
   */
  private void produceWorkload(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
      for (long order = 1; order <= 150; order++) {
        int versions = 1 + rnd.nextInt(4);
        List<OrderEvent> events = new ArrayList<>();
        for (long v = 1; v <= versions; v++) {
          boolean last = v == versions;
          EventType type =
              v == 1
                  ? EventType.ORDER_CREATED
                  : last && rnd.nextInt(5) == 0
                      ? EventType.ORDER_DELETED
                      : last && rnd.nextInt(4) == 0
                          ? EventType.ORDER_CANCELLED
                          : EventType.ORDER_UPDATED;
          String status =
              switch (type) {
                case ORDER_CREATED -> "NEW";
                case ORDER_CANCELLED -> "CANCELLED";
                case ORDER_DELETED -> "DELETED";
                default -> "PAID";
              };
          Map<String, Object> extras = rnd.nextInt(20) == 0 ? Map.of("channel", "app") : Map.of();
          events.add(
              new OrderEvent(
                  "ev-" + order + "-" + v,
                  "idem-" + order + "-" + v,
                  order,
                  type,
                  v,
                  1,
                  Instant.parse("2026-11-24T10:00:00Z").plusSeconds(order),
                  new OrderRow(
                      order,
                      order % 17,
                      status,
                      1000 + rnd.nextInt(9000),
                      "EUR",
                      v,
                      type == EventType.ORDER_DELETED),
                  extras));
        }
        if (versions > 1 && rnd.nextInt(5) == 0) {
          java.util.Collections.reverse(events); // newest first: update before create
        }
        for (OrderEvent e : events) {
          send(producer, e);
          if (rnd.nextInt(10) == 0) {
            send(producer, e); // duplicate delivery
          }
          if (recordsSent % 100 == 99) {
            sendAndWait(
                producer,
                new ProducerRecord<>(
                    topic,
                    Long.toString(e.orderId()),
                    "{\"eventId\":\"x\",".getBytes(StandardCharsets.UTF_8)));
            poisonSent++;
            recordsSent++;
          }
        }
      }
      producer.flush();
    }
  }

  private void send(KafkaProducer<String, byte[]> producer, OrderEvent e) {
    sendAndWait(
        producer, new ProducerRecord<>(topic, Long.toString(e.orderId()), EventCodec.encode(e)));
    sent.add(e);
    recordsSent++;
  }

  /** One send at a time, acknowledged, so the test knows exactly what Kafka holds. */
  private static void sendAndWait(
      KafkaProducer<String, byte[]> producer, ProducerRecord<String, byte[]> record) {
    try {
      producer.send(record).get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception ex) {
      throw new IllegalStateException("test producer could not send to " + record.topic(), ex);
    }
  }

  private List<OrderRow> expectedOrders() {
    Map<Long, OrderRow> fold = new TreeMap<>();
    for (OrderEvent e : sent) {
      fold.merge(e.orderId(), e.state(), (a, b) -> a.version() >= b.version() ? a : b);
    }
    return new ArrayList<>(fold.values());
  }

  private List<CustomerTotal> expectedTotals() {
    Map<Long, long[]> t = new TreeMap<>();
    for (OrderRow r : expectedOrders()) {
      if (!r.deleted()) {
        long[] v = t.computeIfAbsent(r.customerId(), k -> new long[2]);
        v[0]++;
        v[1] += r.revenueCents();
      }
    }
    return t.entrySet().stream()
        .map(e -> new CustomerTotal(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .toList();
  }

  private ConsumerService.Summary consumeInProcess(int batchSize) {
    ConsumerSettings settings =
        ConsumerSettings.of(bootstrap(), dir.resolve("wh.duckdb"), dir.resolve("lake"))
            .withTopic(topic)
            .withStatusFile(dir.resolve("consumer.status.json"))
            .withBatchSize(batchSize)
            .withBounds(0, Duration.ofSeconds(3));
    return new ConsumerService(settings, CrashPoints.NONE, Clock.systemUTC()).run();
  }

  private void assertConverged(Path warehouse) {
    try (WarehouseReader r = WarehouseReader.open(warehouse)) {
      assertThat(r.orders())
          .as("wh_orders equals the fold of every event sent (tombstones kept)")
          .containsExactlyElementsOf(expectedOrders());
      assertThat(r.customerTotals())
          .as("customer totals are not double-counted by the duplicates")
          .containsExactlyElementsOf(expectedTotals());
      assertThat(r.totals().applied())
          .as("each distinct event once in the ledger")
          .isEqualTo(sent.stream().map(OrderEvent::eventId).distinct().count());
      assertThat(r.totals().duplicates())
          .as("every redelivered copy counted as a duplicate")
          .isEqualTo(sent.size() - sent.stream().map(OrderEvent::eventId).distinct().count());
      assertThat(r.deadLetters()).as("every poison message dead-lettered").hasSize(poisonSent);
    }
  }

  private void assertLakeExact() {
    Map<String, Long> perRecord =
        LakeReader.readAll(dir.resolve("lake")).stream()
            .map(LakeRecord::raw)
            .collect(
                Collectors.groupingBy(
                    x -> x.topic() + "-" + x.partition() + "@" + x.offset(),
                    Collectors.counting()));
    assertThat(perRecord).as("lake holds every Kafka record").hasSize((int) recordsSent);
    assertThat(perRecord.values())
        .as("each Kafka record exactly once in the lake")
        .containsOnly(1L);
  }

  @Test
  void consumesEndToEndAndBothReplaysEqualTheLiveWarehouse() {
    produceWorkload(11);
    ConsumerService.Summary summary = consumeInProcess(200);
    assertThat(summary.records()).isEqualTo(recordsSent);
    assertConverged(dir.resolve("wh.duckdb"));
    assertLakeExact();
    ConsumerStatus status = ConsumerStatus.read(dir.resolve("consumer.status.json"));
    assertThat(status.lakeRecords()).as("status counts the lake").isEqualTo(recordsSent);
    assertThat(status.checkpoints().values().stream().mapToLong(Long::longValue).sum())
        .as("status checkpoints add up to every record")
        .isEqualTo(recordsSent);

    Replay.Result fromKafka = Replay.fromKafka(bootstrap(), topic, dir.resolve("kafka.duckdb"));
    Replay.Result fromLake = Replay.fromLake(dir.resolve("lake"), dir.resolve("lake.duckdb"));
    assertThat(fromKafka.records()).isEqualTo(recordsSent);
    assertThat(fromLake.records()).isEqualTo(recordsSent);
    try (WarehouseReader live = WarehouseReader.open(dir.resolve("wh.duckdb"));
        WarehouseReader k = WarehouseReader.open(dir.resolve("kafka.duckdb"));
        WarehouseReader l = WarehouseReader.open(dir.resolve("lake.duckdb"))) {
      for (WarehouseReader replayed : List.of(k, l)) {
        assertThat(replayed.ordersWithExtras())
            .as("replay: same rows")
            .isEqualTo(live.ordersWithExtras());
        assertThat(replayed.customerTotals())
            .as("replay: same totals")
            .isEqualTo(live.customerTotals());
        assertThat(replayed.checkpoints())
            .as("replay: same checkpoints")
            .isEqualTo(live.checkpoints());
        assertThat(replayed.totals()).as("replay: same counts").isEqualTo(live.totals());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        CrashPoints.CONSUMER_AFTER_LAKE,
        CrashPoints.CONSUMER_MID_BATCH,
        CrashPoints.CONSUMER_AFTER_WAREHOUSE,
        CrashPoints.CONSUMER_BEFORE_OFFSET_COMMIT
      })
  void consumerHaltedAtEachCrashPointAndRestartedConverges(String point) {
    produceWorkload(23);
    JavaProcess consumer = consumerProcess(point, 3);
    consumer.start();
    OptionalInt exit = consumer.awaitExit(Duration.ofSeconds(60));
    assertThat(exit)
        .as("the consumer halts at %s like kill -9; log:%n%s", point, consumer.logTail(30))
        .hasValue(137);
    assertThat(consumer.logTail(5)).contains("CRASH " + point);

    ConsumerService.Summary summary = consumeInProcess(70); // other batch boundaries
    assertThat(summary.records()).as("the restarted consumer had work left").isPositive();
    assertConverged(dir.resolve("wh.duckdb"));
    assertLakeExact();
  }

  @Test
  void sigtermStopsTheConsumerGracefully() throws Exception {
    produceWorkload(5);
    JavaProcess consumer = consumerProcess("none", 1);
    consumer.start();
    Path status = dir.resolve("consumer.status.json");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline
        && !(Files.exists(status) && ConsumerStatus.read(status).batches() > 0)) {
      Thread.sleep(50);
    }
    consumer.stop(); // SIGTERM
    assertThat(consumer.exitCode()).as("graceful stop; log:%n%s", consumer.logTail(30)).isPresent();
    assertThat(ConsumerStatus.read(status).state())
        .as("the consumer wrote its final status")
        .isEqualTo("stopped");
    consumeInProcess(500);
    assertConverged(dir.resolve("wh.duckdb"));
    assertLakeExact();
  }

  private JavaProcess consumerProcess(String point, int afterHits) {
    return JavaProcess.builder("consumer-" + topic, ConsumerProcessMain.class.getName())
        .args(
            bootstrap(),
            topic,
            dir.resolve("wh.duckdb").toString(),
            dir.resolve("lake").toString(),
            dir.resolve("consumer.status.json").toString(),
            "50",
            point,
            Integer.toString(afterHits))
        .logFile(dir.resolve("consumer.log"))
        .stopTimeout(Duration.ofSeconds(30))
        .build();
  }
}
