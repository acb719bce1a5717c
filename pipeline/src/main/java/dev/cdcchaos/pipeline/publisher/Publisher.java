package dev.cdcchaos.pipeline.publisher;

import static dev.cdcchaos.pipeline.source.jooq.Tables.OUTBOX_EVENTS;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * Moves outbox rows to Kafka in batches. One batch is one Postgres transaction: claim rows, send
 * them (key = order id, value = the envelope, headers {@value #EVENT_ID}, {@value #EVENT_TYPE},
 * {@value #VERSION}, {@value #SCHEMA_VERSION}), and, in the correct {@link PublisherStrategy}, mark
 * exactly those rows published only after every send was acknowledged. Any failure rolls the batch
 * back, so its rows are sent again by the next batch (a duplicate downstream, never a loss).
 *
 * <p>Several publishers may run against one outbox: claims skip rows another one holds. Not
 * thread-safe: one thread drives one publisher.
 */
public final class Publisher implements AutoCloseable {

  public static final String EVENT_ID = "event-id";
  public static final String EVENT_TYPE = "event-type";
  public static final String VERSION = "version";
  public static final String SCHEMA_VERSION = "schema-version";

  /**
   * How long a batch's transaction may sit idle before Postgres ends the session: the lease on the
   * rows it claimed. The session is idle while the producer waits for Kafka's acknowledgements, so
   * the lease is longer than the producer's delivery timeout (30 s): a running publisher keeps its
   * claim through any wait that can still end in an acknowledgement, and a frozen one loses it. A
   * batch whose lease ran out is rolled back and sent again by whoever claims it next (a duplicate
   * downstream, never a loss).
   */
  public static final long CLAIM_LEASE_MS = 35_000;

  private final DataSource dataSource;
  private final Supplier<Producer<String, byte[]>> producers;
  private final String topic;
  private final int batchSize;
  private final PublisherStrategy strategy;
  private final SendHook sendHook;
  private final CrashPoints crashPoints;

  private Connection connection;
  private Producer<String, byte[]> producer;
  private volatile long published;
  private volatile long batches;
  private final long[] stageNanos = new long[Stage.values().length];

  /**
   * Rows the next claim asks for. A publisher starts with {@link #FIRST_CLAIM} and doubles with
   * every full batch up to the batch size (slow start): the first batch of a cold process pays for
   * its class loading and interpreted code per row, so a small one reaches the consumer sooner, and
   * a backlog still gets full batches after a few rounds (64 to 5,000 in seven).
   */
  private int claimLimit;

  private int lastClaimLimit;

  /** The first claim's size, see {@link #claimLimit}. */
  public static final int FIRST_CLAIM = 64;

  /** The steps of a batch whose time {@link #stageMillis()} accounts. */
  public enum Stage {
    CLAIM,
    SEND,
    ACK,
    MARK,
    COMMIT
  }

  public Publisher(
      DataSource dataSource,
      Supplier<Producer<String, byte[]>> producers,
      String topic,
      int batchSize,
      PublisherStrategy strategy,
      SendHook sendHook,
      CrashPoints crashPoints) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, was " + batchSize);
    }
    this.dataSource = dataSource;
    this.producers = producers;
    this.topic = topic;
    this.batchSize = batchSize;
    this.claimLimit = Math.min(batchSize, FIRST_CLAIM);
    this.lastClaimLimit = claimLimit;
    this.strategy = strategy;
    this.sendHook = sendHook;
    this.crashPoints = crashPoints;
  }

  /** A publisher with a real Kafka producer for {@code bootstrap}. */
  public static Publisher create(
      DataSource dataSource,
      String bootstrap,
      String topic,
      int batchSize,
      PublisherStrategy strategy,
      SendHook sendHook,
      CrashPoints crashPoints) {
    Map<String, Object> props = producerProperties(bootstrap);
    return new Publisher(
        dataSource,
        () -> new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
        topic,
        batchSize,
        strategy,
        sendHook,
        crashPoints);
  }

  /**
   * Producer settings: acks from all in-sync replicas and idempotence (no duplicates from the
   * producer's own retries, order kept per partition), a short linger for batching, and bounded
   * timeouts so a partitioned broker fails the batch within seconds instead of hanging it.
   */
  public static Map<String, Object> producerProperties(String bootstrap) {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrap,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION,
        5,
        ProducerConfig.LINGER_MS_CONFIG,
        5,
        ProducerConfig.BATCH_SIZE_CONFIG,
        256 * 1024,
        ProducerConfig.COMPRESSION_TYPE_CONFIG,
        "lz4",
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
        10_000,
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
        30_000,
        ProducerConfig.MAX_BLOCK_MS_CONFIG,
        30_000);
  }

  /**
   * Claims, sends and marks one batch. Returns the number of rows in the batch (0: nothing to
   * claim). Throws when the batch failed; it was rolled back and will be sent again.
   */
  public int publishBatch() throws Exception {
    Connection c = connection();
    DSLContext tx = DSL.using(c, SQLDialect.POSTGRES);
    boolean committed = false;
    try {
      long t0 = System.nanoTime();
      int limit = claimLimit;
      lastClaimLimit = limit;
      List<OutboxRecord> batch = strategy.claim().claim(tx, limit);
      stageNanos[Stage.CLAIM.ordinal()] += System.nanoTime() - t0;
      if (batch.isEmpty()) {
        c.commit();
        committed = true;
        return 0;
      }
      Steps steps = new Steps(c, tx, batch);
      try {
        strategy.order().deliver(steps);
      } finally {
        committed = steps.committed;
      }
      if (!committed) {
        throw new IllegalStateException("delivery order finished without committing the batch");
      }
      strategy.claim().published(batch);
      if (batch.size() == limit) {
        claimLimit = (int) Math.min(batchSize, 2L * limit);
      }
      published += batch.size();
      batches++;
      return batch.size();
    } catch (Exception | Error e) {
      if (!committed) {
        abandon();
      }
      throw e;
    }
  }

  /**
   * Whether the last batch was as large as its claim asked for: more rows may be waiting, so the
   * next batch should follow at once (a smaller one means the outbox was drained).
   */
  public boolean lastBatchFull(int rows) {
    return rows >= lastClaimLimit;
  }

  /** Publishes batches until the outbox has nothing left to claim; returns the rows published. */
  public long drain() throws Exception {
    long total = 0;
    int n;
    while ((n = publishBatch()) > 0) {
      total += n;
    }
    return total;
  }

  /**
   * Rows not yet published. Counted from the claim's floor up (no index covers {@code
   * published_at}, so a count over the whole outbox would read every row).
   */
  public long backlog() throws SQLException {
    Connection c = connection();
    try {
      long n =
          DSL.using(c, SQLDialect.POSTGRES)
              .fetchCount(
                  OUTBOX_EVENTS,
                  OUTBOX_EVENTS
                      .ID
                      .gt(strategy.claim().knownPublishedThrough())
                      .and(OUTBOX_EVENTS.PUBLISHED_AT.isNull()));
      c.commit();
      return n;
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /** Deletes rows published more than {@code retention} ago; returns how many. */
  public int cleanup(Duration retention) throws SQLException {
    Connection c = connection();
    try {
      int n =
          DSL.using(c, SQLDialect.POSTGRES)
              .deleteFrom(OUTBOX_EVENTS)
              .where(OUTBOX_EVENTS.PUBLISHED_AT.isNotNull())
              .and(
                  DSL.condition(
                      "published_at < now() - make_interval(secs => {0})",
                      DSL.val(retention.toMillis() / 1000.0)))
              .execute();
      c.commit();
      return n;
    } catch (RuntimeException e) {
      abandon();
      throw e;
    }
  }

  /** Rows published by this publisher since it was created. */
  public long published() {
    return published;
  }

  /** Milliseconds spent per stage of a batch since this publisher was created: where time goes. */
  public java.util.Map<Stage, Long> stageMillis() {
    java.util.Map<Stage, Long> ms = new java.util.EnumMap<>(Stage.class);
    for (Stage s : Stage.values()) {
      ms.put(s, stageNanos[s.ordinal()] / 1_000_000);
    }
    return ms;
  }

  /** Batches committed by this publisher since it was created. */
  public long batches() {
    return batches;
  }

  /** Flushes nothing and closes the producer and the connection; an open batch is rolled back. */
  @Override
  public void close() {
    closeProducer(Duration.ofSeconds(5));
    dropConnection();
  }

  private final class Steps implements DeliveryOrder.BatchSteps {
    private final Connection connection;
    private final DSLContext tx;
    private final List<OutboxRecord> batch;
    private boolean committed;

    Steps(Connection connection, DSLContext tx, List<OutboxRecord> batch) {
      this.connection = connection;
      this.tx = tx;
      this.batch = batch;
    }

    @Override
    public DeliveryOrder.PendingSends send() throws InterruptedException {
      List<OutboxRecord> plan = sendHook.plan(batch);
      requireComplete(plan);
      long delay = sendHook.delayMs();
      if (delay > 0) {
        Thread.sleep(delay);
      }
      long t0 = System.nanoTime();
      Producer<String, byte[]> p = producer();
      List<Future<RecordMetadata>> acks = new ArrayList<>(plan.size());
      for (OutboxRecord r : plan) {
        acks.add(p.send(toProducerRecord(r)));
      }
      stageNanos[Stage.SEND.ordinal()] += System.nanoTime() - t0;
      return () -> {
        long t1 = System.nanoTime();
        for (Future<RecordMetadata> ack : acks) {
          ack.get();
        }
        stageNanos[Stage.ACK.ordinal()] += System.nanoTime() - t1;
      };
    }

    @Override
    public void mark() {
      long t0 = System.nanoTime();
      strategy.mark().mark(tx, batch);
      stageNanos[Stage.MARK.ordinal()] += System.nanoTime() - t0;
    }

    @Override
    public void commit() {
      try {
        long t0 = System.nanoTime();
        connection.commit();
        stageNanos[Stage.COMMIT.ordinal()] += System.nanoTime() - t0;
        committed = true;
      } catch (SQLException e) {
        throw new IllegalStateException("commit of the publisher batch failed", e);
      }
    }

    @Override
    public void reach(String point) {
      crashPoints.reach(point);
    }

    private void requireComplete(List<OutboxRecord> plan) {
      Set<OutboxRecord> planned = Collections.newSetFromMap(new IdentityHashMap<>());
      planned.addAll(plan);
      if (!planned.containsAll(batch)) {
        throw new IllegalStateException("send hook dropped records of the batch for good");
      }
    }
  }

  /**
   * The known-bad variant {@code resubmitted-twice} (spring-projects/spring-modulith#926: two
   * resubmission paths send the same events again): on start, a second path resubmits every
   * unpublished row, without claiming or marking it, and builds each as a new message, which gets a
   * message id of its own (as a message built anew does); the regular claim loop sends the same
   * rows under their own ids. The consumer's ledger cannot tell the copies from new events. Returns
   * how many rows it resubmitted; 0 for every other publisher.
   */
  public int resubmitOnStart() throws Exception {
    if (!strategy.resubmitsOnStart()) {
      return 0;
    }
    List<OutboxRecord> rows;
    try (Connection c = dataSource.getConnection()) {
      rows = ClaimStrategy.unpublished(org.jooq.impl.DSL.using(c), 10_000);
    }
    List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
    Producer<String, byte[]> p = producer();
    for (OutboxRecord r : rows) {
      String fresh = java.util.UUID.randomUUID().toString();
      byte[] payload =
          new String(r.payload(), StandardCharsets.UTF_8)
              .replace(r.eventId(), fresh)
              .getBytes(StandardCharsets.UTF_8);
      acks.add(
          p.send(
              toProducerRecord(
                  new OutboxRecord(
                      r.id(),
                      fresh,
                      r.orderId(),
                      r.eventType(),
                      r.version(),
                      r.schemaVersion(),
                      payload))));
    }
    for (Future<RecordMetadata> ack : acks) {
      ack.get();
    }
    return rows.size();
  }

  private ProducerRecord<String, byte[]> toProducerRecord(OutboxRecord r) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(EVENT_ID, r.eventId().getBytes(StandardCharsets.UTF_8));
    headers.add(EVENT_TYPE, r.eventType().getBytes(StandardCharsets.UTF_8));
    headers.add(VERSION, Long.toString(r.version()).getBytes(StandardCharsets.UTF_8));
    headers.add(
        SCHEMA_VERSION, Integer.toString(r.schemaVersion()).getBytes(StandardCharsets.UTF_8));
    return new ProducerRecord<>(topic, null, Long.toString(r.orderId()), r.payload(), headers);
  }

  /** After a failed batch: roll back, and start over with a fresh producer and connection. */
  private void abandon() {
    closeProducer(Duration.ZERO);
    if (connection != null) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is discarded below
      }
    }
    dropConnection();
  }

  private Producer<String, byte[]> producer() {
    if (producer == null) {
      producer = producers.get();
    }
    return producer;
  }

  private void closeProducer(Duration timeout) {
    if (producer != null) {
      try {
        producer.close(timeout);
      } catch (RuntimeException e) {
        System.err.println("publisher: closing the producer failed: " + e);
      }
      producer = null;
    }
  }

  private Connection connection() throws SQLException {
    if (connection == null) {
      Connection c = dataSource.getConnection();
      try (java.sql.Statement st = c.createStatement()) {
        // the claim's lease: a publisher frozen inside its batch (a GC pause, SIGSTOP) loses its
        // session, and with it its row locks, after this long, so another publisher (or its own
        // next life) can claim the rows; an open transaction also holds the claim floor of others
        st.execute("SET idle_in_transaction_session_timeout = '" + CLAIM_LEASE_MS + "ms'");
      } catch (SQLException e) {
        c.close();
        throw e;
      }
      c.setAutoCommit(false);
      connection = c;
    }
    return connection;
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being discarded either way
      }
      connection = null;
    }
  }
}
