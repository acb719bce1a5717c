package dev.cdcchaos.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.infra.JavaProcess;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.PipelineConfig;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.publisher.Publisher;
import dev.cdcchaos.pipeline.publisher.PublisherStrategy;
import dev.cdcchaos.pipeline.publisher.SeededSendHook;
import dev.cdcchaos.pipeline.publisher.SendHook;
import dev.cdcchaos.pipeline.source.OrderWriter;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The publisher against real Postgres and Kafka: nothing lost when writers commit out of id order,
 * nothing lost across crashes at each publisher crash point, and the known-bad publisher variants
 * really lose events (so the seams do what they claim and the harness has something to catch).
 */
class PublisherIT {

  private static final AtomicInteger TOPICS = new AtomicInteger();
  private static LocalInfrastructure infra;
  private static Path work;
  private DataSource source;
  private String jdbcUrl;
  private String topic;

  @BeforeAll
  static void infrastructure() {
    infra = LocalInfrastructure.shared(1);
    work = ItDirs.fresh("publisher");
  }

  @BeforeEach
  void freshDatabaseAndTopic() throws Exception {
    jdbcUrl = infra.directJdbcUrl(infra.newDatabase("publisher"));
    source = SourceDatabase.dataSource(jdbcUrl);
    SourceSchema.apply(source);
    topic = "publisher-it-" + ProcessHandle.current().pid() + "-" + TOPICS.incrementAndGet();
    infra.kafka().createTopic(topic, 3, 1, Map.of());
  }

  @Test
  void publishesEveryEventOnceWithOrderKeyAndHeaders() throws Exception {
    List<OrderEvent> written = new ArrayList<>();
    try (OrderWriter writer = new OrderWriter(source)) {
      for (long id = 1; id <= 40; id++) {
        written.add(writer.create(id, id % 5, 100 * id, "EUR"));
      }
      written.add(writer.update(7, "PAID", 1));
      written.add(writer.delete(8));
    }
    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 16)) {
      assertThat(publisher.backlog()).isEqualTo(written.size());
      assertThat(publisher.drain()).isEqualTo(written.size());
      assertThat(publisher.backlog()).as("every claimed row is marked").isZero();
    }
    List<ConsumerRecord<String, byte[]>> records = TopicReader.readAll(bootstrap(), topic);
    assertThat(records.stream().map(r -> TopicReader.decode(r.value())).toList())
        .as("each event exactly once, as written")
        .containsExactlyInAnyOrderElementsOf(written);
    for (ConsumerRecord<String, byte[]> r : records) {
      OrderEvent e = TopicReader.decode(r.value());
      assertThat(r.key()).as("key = order id").isEqualTo(Long.toString(e.orderId()));
      assertThat(header(r, Publisher.EVENT_ID)).isEqualTo(e.eventId());
      assertThat(header(r, Publisher.EVENT_TYPE)).isEqualTo(e.type().name());
      assertThat(header(r, Publisher.VERSION)).isEqualTo(Long.toString(e.version()));
      assertThat(header(r, Publisher.SCHEMA_VERSION)).isEqualTo("1");
    }
    Map<String, List<Long>> versionsByKeyInPartitionOrder =
        records.stream()
            .collect(
                Collectors.groupingBy(
                    ConsumerRecord::key,
                    Collectors.mapping(
                        r -> TopicReader.decode(r.value()).version(), Collectors.toList())));
    assertThat(versionsByKeyInPartitionOrder.get("7"))
        .as("one publisher keeps an order's versions in order")
        .containsExactly(1L, 2L);
  }

  @Test
  void aColdPublisherStartsWithASmallClaimAndDoublesItUpToTheBatchSize() throws Exception {
    writeOrders(2000);
    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 500)) {
      long backlog = publisher.backlog();
      assertThat(backlog).as("enough rows for full batches").isGreaterThan(64 + 128 + 256 + 500);
      List<Integer> sizes = new java.util.ArrayList<>();
      int n;
      while ((n = publisher.publishBatch()) > 0) {
        sizes.add(n);
        assertThat(publisher.lastBatchFull(n))
            .as("batch %d of %s is full unless it drained the outbox", sizes.size(), sizes)
            .isEqualTo(sizes.stream().mapToLong(Integer::longValue).sum() < backlog);
      }
      assertThat(sizes.subList(0, 4)).containsExactly(64, 128, 256, 500);
      assertThat(sizes.subList(4, sizes.size() - 1)).allMatch(s -> s == 500);
      assertThat(sizes.stream().mapToLong(Integer::longValue).sum()).isEqualTo(backlog);
    }
  }

  @Test
  void cleanupDeletesOnlyRowsPublishedLongerAgoThanTheRetention() throws Exception {
    writeOrders(30);
    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 10)) {
      publisher.publishBatch();
      assertThat(publisher.cleanup(Duration.ofHours(1)))
          .as("nothing was published an hour ago")
          .isZero();
      Thread.sleep(50);
      assertThat(publisher.cleanup(Duration.ofMillis(10)))
          .as("the published batch is past a 10 ms retention")
          .isEqualTo(10);
      assertThat(publisher.backlog()).as("unpublished rows are never cleaned up").isEqualTo(20);
      assertThat(publisher.drain()).isEqualTo(20);
    }
  }

  @Test
  void aTransactionCommittingLateWithALowerIdIsStillPublished() throws Exception {
    assertThat(publishAroundALateCommit(PublisherStrategy.correct()))
        .as("the late row (lower id, committed after higher ids were published) must be published")
        .isTrue();
  }

  /**
   * The stall of issue 14: the floor moved past a row whose transaction was the newest one still
   * open. A snapshot lists in {@code xip} only transactions older than its {@code xmax} (the latest
   * completed transaction + 1); a newer one still running is not listed, so waiting for the listed
   * ones alone let the floor pass its row, which was never claimed after it committed. Here nothing
   * commits after the late writer took its transaction id, so it is newer than every completed one.
   */
  @Test
  void theNewestTransactionStillOpenWhenTheFloorMovesIsStillPublished() throws Exception {
    assertThat(publishAroundTheNewestOpenTransaction(PublisherStrategy.correct()))
        .as("the late row, once committed, is claimed")
        .isTrue();
  }

  @Test
  void aFloorTrustingTheSnapshotListLosesTheNewestOpenTransaction() throws Exception {
    assertThat(
            publishAroundTheNewestOpenTransaction(
                PublisherStrategy.of(Variant.FLOOR_TRUSTS_SNAPSHOT_LIST)))
        .as("floor-trusts-snapshot-list passes the row of the newest open transaction")
        .isFalse();
  }

  /**
   * Issue 14's stall, provoked: a writer takes the next outbox id and holds its transaction open
   * while the publisher drains; nothing commits after it took its transaction id, so it is newer
   * than every completed transaction. Returns whether its row was sent once it committed.
   */
  private boolean publishAroundTheNewestOpenTransaction(PublisherStrategy strategy)
      throws Exception {
    try (Publisher publisher = publisher(strategy, SendHook.NONE, 100);
        OrderWriter writer = new OrderWriter(source);
        Connection slow = source.getConnection()) {
      writer.create(1, 1, 100, "EUR");
      publisher.drain();
      slow.setAutoCommit(false);
      OrderEvent late = insertRawEvent(slow, 1000);
      assertThat(publisher.drain()).as("the late row is not visible yet").isZero();
      slow.commit();
      publisher.drain();
      return sentEventIds().contains(late.eventId());
    }
  }

  @Test
  void everyMarkIsAHotUpdate() throws Exception {
    writeOrders(300);
    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 50)) {
      assertThat(publisher.drain()).isEqualTo(300);
      assertThat(publisher.backlog()).isZero();
    } // the publisher's session ends, so its table counters reach the statistics
    long[] updates = new long[2];
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () -> {
              try (Connection c = source.getConnection();
                  var st = c.createStatement();
                  var rs =
                      st.executeQuery(
                          "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables"
                              + " WHERE relname = 'outbox_events'")) {
                rs.next();
                updates[0] = rs.getLong(1);
                updates[1] = rs.getLong(2);
              }
              return updates[0] >= 300;
            });
    assertThat(updates[1])
        .as(
            "marks that are HOT updates (no index may cover published_at, and the table keeps"
                + " free space in its pages)")
        .isEqualTo(updates[0]);
  }

  @Test
  void aSequenceThatCachesIdsIsRefusedWithTheFix() throws Exception {
    writeOrders(3);
    try (Connection c = source.getConnection();
        var st = c.createStatement()) {
      st.execute("ALTER SEQUENCE outbox_events_id_seq CACHE 20");
    }
    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 10)) {
      assertThatThrownBy(publisher::publishBatch)
          .hasMessageContaining("outbox_events_id_seq caches 20 values")
          .hasMessageContaining("CACHE 1");
    }
  }

  @Test
  void idCursorPollingLosesTheLateCommit() throws Exception {
    assertThat(publishAroundALateCommit(PublisherStrategy.of(Variant.ID_CURSOR_POLLING)))
        .as("id-cursor-polling must skip the row whose id it passed before it committed")
        .isFalse();
  }

  @Test
  void concurrentWritersCommittingOutOfIdOrderLoseNothing() throws Exception {
    Set<String> written = raceWritersAgainstPublisher(PublisherStrategy.correct(), SendHook.NONE);
    Set<String> sent = sentEventIds();
    assertThat(sent).as("every committed outbox event reaches Kafka").containsAll(written);
    assertThat(backlog()).isZero();
  }

  @Test
  void threePublishersAtOnceSendEveryEventExactlyOnce() throws Exception {
    Set<String> written =
        raceWritersAgainstPublishers(
            List.of(
                PublisherStrategy.correct(),
                PublisherStrategy.correct(),
                PublisherStrategy.correct()),
            SendHook.NONE);
    List<String> sent =
        TopicReader.readAll(bootstrap(), topic).stream()
            .map(r -> TopicReader.decode(r.value()).eventId())
            .toList();
    assertThat(sent)
        .as("each committed event sent once: claims skip rows another publisher holds")
        .containsExactlyInAnyOrderElementsOf(written);
    assertThat(backlog()).isZero();
  }

  @Test
  void markAllPublishedLosesEventsWhenWritersRace() throws Exception {
    Set<String> written =
        raceWritersAgainstPublisher(
            PublisherStrategy.of(Variant.MARK_ALL_PUBLISHED),
            new SeededSendHook(new ControlSettings.Send(0, 0, 0, 20, 1)));
    Set<String> lost = new HashSet<>(written);
    lost.removeAll(sentEventIds());
    assertThat(lost)
        .as("rows committed between claim and mark are marked without being sent")
        .isNotEmpty();
    assertThat(backlog()).as("and nothing is left to publish them later").isZero();
  }

  @Test
  void deliveryFaultsDuplicateAndReorderButLoseNothing() throws Exception {
    List<OrderEvent> written = writeOrders(300);
    SeededSendHook faults = new SeededSendHook(new ControlSettings.Send(0.2, 10, 0.1, 0, 7));
    try (Publisher publisher = publisher(PublisherStrategy.correct(), faults, 50)) {
      publisher.drain();
    }
    List<String> sent =
        TopicReader.events(bootstrap(), topic).stream().map(OrderEvent::eventId).toList();
    assertThat(new HashSet<>(sent))
        .as("every event sent")
        .containsAll(written.stream().map(OrderEvent::eventId).toList());
    assertThat(sent.size()).as("about a fifth sent twice").isBetween(330, 400);
  }

  @ParameterizedTest
  @ValueSource(strings = {CrashPoints.PUBLISHER_AFTER_SEND, CrashPoints.PUBLISHER_BEFORE_MARK})
  void aPublisherCrashingAtEachPointAndRestartedLosesNothing(String point) throws Exception {
    List<OrderEvent> written = writeOrders(2000);
    Path dir = Files.createDirectories(work.resolve("crash-" + topic));
    Path control = dir.resolve("control.json");
    Files.writeString(control, "{\"crash\": {\"point\": \"" + point + "\", \"afterHits\": 3}}");
    PipelineConfig cfg = config(Variant.CORRECT, control, dir.resolve("status.json"));
    Path cfgFile = dir.resolve("publisher.json");
    cfg.save(cfgFile);

    JavaProcess crashing = publisherProcess("publisher-crash", cfgFile, dir);
    crashing.start();
    OptionalInt exit = crashing.awaitExit(Duration.ofSeconds(60));
    assertThat(exit).as("halted at %s: %s", point, crashing.logTail(20)).hasValue(137);
    assertThat(crashing.logTail(50)).contains("CRASH " + point);
    assertThat(backlog()).as("the crash left rows unpublished").isPositive();

    Files.writeString(control, "{}");
    JavaProcess restarted = publisherProcess("publisher-restarted", cfgFile, dir);
    restarted.start();
    try {
      awaitBacklogZero(Duration.ofSeconds(60));
    } finally {
      restarted.stop();
    }
    assertThat(restarted.exitCode()).as("SIGTERM is a graceful stop").hasValue(0);
    Set<String> sent = sentEventIds();
    assertThat(sent)
        .as("after a crash at %s and a restart every event is in Kafka", point)
        .containsAll(written.stream().map(OrderEvent::eventId).toList());
    assertThat(Files.readString(dir.resolve("status.json")))
        .as("status file rewritten by the restarted publisher")
        .contains("\"role\":\"publisher\"")
        .contains("\"backlog\":0");
  }

  /**
   * A kill -9 while a batch is in flight (held by a send delay): the correct publisher has not
   * marked it and sends it again after the restart; mark-before-send already committed the mark, so
   * the batch is gone.
   */
  @ParameterizedTest
  @ValueSource(strings = {"correct", "mark-before-send"})
  void aKillWhileABatchIsInFlightLosesItOnlyWhenMarkedBeforeSend(String variant) throws Exception {
    List<OrderEvent> written = writeOrders(2000);
    Path dir = Files.createDirectories(work.resolve("inflight-" + topic));
    Path control = dir.resolve("control.json");
    Files.writeString(control, "{\"send\": {\"delayMs\": 4000}}");
    Path cfgFile = dir.resolve("publisher.json");
    config(Variant.parse(variant), control, null).save(cfgFile);
    JavaProcess process = publisherProcess("publisher-" + variant, cfgFile, dir);
    process.start();
    try {
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      if (variant.equals("correct")) {
        Thread.sleep(6000);
      } else {
        while (backlog() == written.size() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
      }
      process.kill();
    } finally {
      process.kill();
    }
    assertThat(backlog())
        .as("the kill happened with the first batch in flight")
        .isGreaterThan(1000);

    try (Publisher publisher = publisher(PublisherStrategy.correct(), SendHook.NONE, 500)) {
      publisher.drain();
    }
    Set<String> lost = written.stream().map(OrderEvent::eventId).collect(Collectors.toSet());
    lost.removeAll(sentEventIds());
    if (variant.equals("correct")) {
      assertThat(lost).as("an unacknowledged batch is not marked, so it is sent again").isEmpty();
    } else {
      assertThat(lost)
          .as(
              "mark-before-send committed the mark of the batch it never sent (a cold"
                  + " publisher's first batch: its first claim)")
          .hasSize(Publisher.FIRST_CLAIM);
    }
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * A slow transaction takes an outbox id, faster writers commit higher ids, the publisher
   * publishes those, then the slow one commits and the publisher runs again. Returns whether the
   * slow transaction's event reached Kafka.
   */
  private boolean publishAroundALateCommit(PublisherStrategy strategy) throws Exception {
    try (Publisher publisher = publisher(strategy, SendHook.NONE, 100);
        OrderWriter writer = new OrderWriter(source);
        Connection slow = source.getConnection()) {
      writer.create(1, 1, 100, "EUR");
      publisher.drain();
      slow.setAutoCommit(false);
      OrderEvent late = insertRawEvent(slow, 1000);
      for (long id = 2; id <= 20; id++) {
        writer.create(id, 1, 100, "EUR");
      }
      publisher.drain();
      slow.commit();
      publisher.drain();
      publisher.drain();
      return sentEventIds().contains(late.eventId());
    }
  }

  /** Writes an order's create event the way the writer would, on a transaction the caller holds. */
  private static OrderEvent insertRawEvent(Connection tx, long orderId) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
    OrderEvent e =
        new OrderEvent(
            UUID.randomUUID().toString(),
            orderId + ":1",
            orderId,
            EventType.ORDER_CREATED,
            1,
            EventCodec.SCHEMA_VERSION,
            now,
            new OrderRow(orderId, 1, OrderWriter.NEW, 100, "EUR", 1, false),
            Map.of());
    try (PreparedStatement ps =
        tx.prepareStatement(
            "INSERT INTO outbox_events (event_id, idempotency_key, aggregate_id, event_type,"
                + " aggregate_version, schema_version, occurred_at, payload)"
                + " VALUES (?::uuid, ?, ?, ?, ?, ?, now(), ?)")) {
      ps.setString(1, e.eventId());
      ps.setString(2, e.idempotencyKey());
      ps.setLong(3, orderId);
      ps.setString(4, e.type().name());
      ps.setLong(5, 1);
      ps.setInt(6, e.schemaVersion());
      ps.setString(7, EventCodec.encodeToString(e));
      ps.executeUpdate();
    }
    return e;
  }

  /**
   * Four writers (with random think times, so commits interleave and land out of id order) write
   * while a publisher publishes; afterwards the same publisher drains. Returns the written event
   * ids.
   */
  private Set<String> raceWritersAgainstPublisher(PublisherStrategy strategy, SendHook hook)
      throws Exception {
    return raceWritersAgainstPublishers(List.of(strategy), hook);
  }

  /** Four writers race while one publisher per strategy publishes, each on its own thread. */
  private Set<String> raceWritersAgainstPublishers(
      List<PublisherStrategy> strategies, SendHook hook) throws Exception {
    Set<String> written = java.util.concurrent.ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4 + strategies.size());
    List<Future<?>> writers = new ArrayList<>();
    for (int w = 0; w < 4; w++) {
      long base = w * 1_000_000L;
      java.util.Random random = new java.util.Random(w);
      writers.add(
          pool.submit(
              () -> {
                try (OrderWriter writer = new OrderWriter(source)) {
                  for (long id = base + 1; id <= base + 150; id++) {
                    written.add(writer.create(id, 1, 100, "EUR").eventId());
                    written.add(writer.update(id, "PAID", 200).eventId());
                    Thread.sleep(random.nextInt(3));
                  }
                }
                return null;
              }));
    }
    List<Publisher> publishers = new ArrayList<>();
    try {
      List<Future<?>> publishing = new ArrayList<>();
      for (PublisherStrategy strategy : strategies) {
        Publisher publisher = publisher(strategy, hook, 50);
        publishers.add(publisher);
        publishing.add(
            pool.submit(
                () -> {
                  while (writing.get()) {
                    if (publisher.publishBatch() == 0) {
                      Thread.sleep(2);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : writers) {
        f.get();
      }
      writing.set(false);
      for (Future<?> f : publishing) {
        f.get();
      }
      for (Publisher publisher : publishers) {
        publisher.drain();
      }
    } finally {
      publishers.forEach(Publisher::close);
      pool.shutdownNow();
    }
    assertThat(written).hasSize(4 * 150 * 2);
    return written;
  }

  private List<OrderEvent> writeOrders(int n) {
    List<OrderEvent> written = new ArrayList<>();
    try (OrderWriter writer = new OrderWriter(source)) {
      for (long id = 1; id <= n; id++) {
        written.add(writer.create(id, id % 10, id, "EUR"));
      }
    }
    return written;
  }

  private Publisher publisher(PublisherStrategy strategy, SendHook hook, int batchSize) {
    return Publisher.create(
        source, bootstrap(), topic, batchSize, strategy, hook, CrashPoints.NONE);
  }

  private PipelineConfig config(Variant variant, Path control, Path status) {
    return new PipelineConfig(
        jdbcUrl,
        bootstrap(),
        topic,
        null,
        null,
        null,
        500,
        0,
        20,
        variant.cliName(),
        control == null ? null : control.toString(),
        status == null ? null : status.toString(),
        0);
  }

  private static JavaProcess publisherProcess(String name, Path cfgFile, Path dir) {
    return JavaProcess.builder(name, "dev.cdcchaos.pipeline.PipelineMain")
        .args("publisher", "--config", cfgFile.toString())
        .jvmOptions("-Xmx256m")
        .logFile(dir.resolve(name + ".log"))
        .build();
  }

  private static String bootstrap() {
    return infra.directBootstrap();
  }

  private Set<String> sentEventIds() {
    return TopicReader.events(bootstrap(), topic).stream()
        .map(OrderEvent::eventId)
        .collect(Collectors.toSet());
  }

  private long backlog() throws Exception {
    try (Connection c = source.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT count(*) FROM outbox_events WHERE published_at IS NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void awaitBacklogZero(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (backlog() > 0) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("outbox backlog not drained within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static String header(ConsumerRecord<String, byte[]> r, String key) {
    return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
