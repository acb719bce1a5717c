package dev.cdcchaos.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.PipelineMain;
import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.publisher.Publisher;
import dev.cdcchaos.pipeline.publisher.PublisherStrategy;
import dev.cdcchaos.pipeline.publisher.SendHook;
import dev.cdcchaos.pipeline.source.OrderWriter;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import dev.cdcchaos.pipeline.variant.Variant;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Write, publish, consume: the warehouse ends up equal to the folded source, in-process (the
 * quickstart) and with publisher and consumer as separate {@code PipelineMain} JVMs (the contract
 * the scenario runner uses).
 */
class QuickstartIT {

  private static final AtomicInteger RUNS = new AtomicInteger();
  private static LocalInfrastructure infra;
  private Path work;
  private String jdbcUrl;
  private DataSource source;
  private String topic;

  @BeforeAll
  static void infrastructure() {
    infra = LocalInfrastructure.shared(1);
  }

  @BeforeEach
  void freshDatabaseTopicAndWarehouse() throws Exception {
    work = ItDirs.fresh("quickstart");
    jdbcUrl = infra.directJdbcUrl(infra.newDatabase("quickstart"));
    source = SourceDatabase.dataSource(jdbcUrl);
    SourceSchema.apply(source);
    topic = "quickstart-" + ProcessHandle.current().pid() + "-" + RUNS.incrementAndGet();
    infra.kafka().createTopic(topic, 3, 1, Map.of());
  }

  @Test
  void writePublishConsumeGivesTheFoldedSource() throws Exception {
    Map<Long, OrderRow> expected = writeWorkload(200, 600, 11);
    try (Publisher publisher =
        Publisher.create(
            source,
            infra.directBootstrap(),
            topic,
            100,
            PublisherStrategy.correct(),
            SendHook.NONE,
            CrashPoints.NONE)) {
      publisher.drain();
    }
    PipelineConfig cfg = config(Variant.CORRECT, null, null);
    ConsumerService consumer =
        new ConsumerService(
            PipelineMain.consumerSettings(cfg).withBounds(0, Duration.ofSeconds(5)),
            CrashPoints.NONE,
            Clock.systemUTC());
    ConsumerService.Summary summary = consumer.run();

    assertThat(summary.totals().applied()).as("every event applied once").isEqualTo(eventCount());
    try (WarehouseReader warehouse = WarehouseReader.open(Path.of(cfg.warehousePath()))) {
      assertThat(warehouse.orders())
          .as("wh_orders = fold of the outbox = source rows (tombstones for deleted orders)")
          .containsExactlyElementsOf(sorted(expected));
    }
  }

  @Test
  void publisherAndConsumerProcessesConvergeWhileWritersWrite() throws Exception {
    Path publisherStatus = work.resolve("publisher-status.json");
    Path consumerStatus = work.resolve("consumer-status.json");
    JavaProcess publisher =
        process("publisher", config(Variant.CORRECT, null, publisherStatus.toString()));
    JavaProcess consumer =
        process("consumer", config(Variant.CORRECT, null, consumerStatus.toString()));
    publisher.start();
    consumer.start();
    Map<Long, OrderRow> expected;
    try {
      expected = writeWorkload(300, 1200, 12);
      long events = eventCount();
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!Files.exists(consumerStatus)
          || !Files.readString(consumerStatus).contains("\"applied\":" + events)) {
        assertThat(System.nanoTime())
            .as("consumer applied %d events within 90 s", events)
            .isLessThan(deadline);
        Thread.sleep(200);
      }
      assertThat(Files.readString(publisherStatus)).contains("\"backlog\":0");
    } finally {
      publisher.stop();
      consumer.stop();
    }
    assertThat(publisher.exitCode()).as("publisher stops gracefully on SIGTERM").hasValue(0);
    assertThat(consumer.exitCode()).as("consumer stops gracefully on SIGTERM").hasValue(0);
    try (WarehouseReader warehouse =
        WarehouseReader.open(Path.of(config(Variant.CORRECT, null, null).warehousePath()))) {
      assertThat(warehouse.orders()).containsExactlyElementsOf(sorted(expected));
    }

    Path replayed = work.resolve("replayed.duckdb");
    Path cfgFile = work.resolve("consumer.json");
    assertThat(
            PipelineMain.run(
                "replay",
                "--from",
                "lake",
                "--config",
                cfgFile.toString(),
                "--into",
                replayed.toString()))
        .isZero();
    try (WarehouseReader warehouse = WarehouseReader.open(replayed)) {
      assertThat(warehouse.orders())
          .as("a warehouse rebuilt from the lake equals the live one")
          .containsExactlyElementsOf(sorted(expected));
    }
  }

  /**
   * Creates {@code orders} orders, then {@code changes} random updates, cancels and deletes;
   * returns the expected warehouse rows (tombstones included).
   */
  private Map<Long, OrderRow> writeWorkload(int orders, int changes, long seed) {
    Map<Long, OrderRow> rows = new HashMap<>();
    SplittableRandom random = new SplittableRandom(seed);
    try (OrderWriter writer = new OrderWriter(source)) {
      for (long id = 1; id <= orders; id++) {
        OrderEvent e = writer.create(id, random.nextInt(20), 100 + random.nextInt(10_000), "EUR");
        rows.put(id, e.state());
      }
      for (int i = 0; i < changes; i++) {
        long id = 1 + random.nextInt(orders);
        if (rows.get(id).deleted()) {
          continue;
        }
        int kind = random.nextInt(20);
        OrderEvent e =
            kind == 0
                ? writer.delete(id)
                : kind < 3 ? writer.cancel(id) : writer.update(id, "PAID", random.nextInt(50_000));
        rows.put(id, e.state());
      }
    }
    return rows;
  }

  private long eventCount() throws Exception {
    try (var c = source.getConnection();
        var rs = c.createStatement().executeQuery("SELECT count(*) FROM outbox_events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private PipelineConfig config(Variant variant, String control, String status) {
    return new PipelineConfig(
        jdbcUrl,
        infra.directBootstrap(),
        topic,
        "group-" + topic,
        work.resolve("warehouse.duckdb").toString(),
        work.resolve("lake").toString(),
        200,
        1000,
        20,
        variant.cliName(),
        control,
        status,
        0);
  }

  private JavaProcess process(String role, PipelineConfig cfg) {
    Path file = work.resolve(role + ".json");
    cfg.save(file);
    return JavaProcess.builder(role, "dev.cdcchaos.pipeline.PipelineMain")
        .args(role, "--config", file.toString())
        .jvmOptions("-Xmx256m")
        .logFile(work.resolve(role + ".log"))
        .stopTimeout(Duration.ofSeconds(30))
        .build();
  }

  private static List<OrderRow> sorted(Map<Long, OrderRow> rows) {
    List<OrderRow> list = new ArrayList<>(rows.values());
    list.sort(Comparator.comparingLong(OrderRow::orderId));
    return list;
  }
}
