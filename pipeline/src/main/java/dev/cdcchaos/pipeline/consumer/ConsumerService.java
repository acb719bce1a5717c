package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.ReadEndpoint;
import dev.cdcchaos.pipeline.warehouse.WarehouseTotals;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.NoOffsetForPartitionException;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetOutOfRangeException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer: polls batches from Kafka, writes them to the lake, applies them to the warehouse in
 * one transaction and only then commits Kafka offsets (informational). Progress lives in {@code
 * wh_checkpoints}: on start and whenever a partition appears the consumer seeks there, so a {@code
 * kill -9} at any point resumes exactly after the last committed batch. Lake files of batches that
 * never reached the warehouse are removed on start and written again.
 *
 * <p>The consumer reads every partition of the topic itself ({@code assign}, not group
 * subscription): DuckDB allows one writer per warehouse file, so there is one consumer per
 * warehouse and nothing to balance.
 *
 * <p>{@link #run()} blocks; {@link #stop()} (e.g. from a SIGTERM shutdown hook, see {@link
 * #stopOnShutdown()}) makes it finish the batch in hand, close DuckDB cleanly and return.
 */
public final class ConsumerService {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerService.class);
  private static final Duration PARTITION_REFRESH = Duration.ofSeconds(5);
  private static final Duration TOPIC_WAIT = Duration.ofMillis(500);
  private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * The metadata of every offset this consumer commits: a position in the group without it was
   * written by someone else (an operator's {@code kafka-consumer-groups --reset-offsets} writes
   * none), and is looked at on start instead of being taken for this consumer's own.
   */
  public static final String OWN_POSITION = "cdc-chaos consumer: warehouse checkpoint";

  private final ConsumerSettings settings;
  private final CrashPoints crashPoints;
  private final Clock clock;
  private final SinkStrategies strategies;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private volatile boolean stopping;
  private volatile KafkaConsumer<byte[], byte[]> kafka;

  private volatile BatchSink sink;
  private ReadEndpoint reads;
  private long batches;
  private long records;
  private final Set<TopicPartition> assigned = new LinkedHashSet<>();
  private Instant lastPartitionRefresh = Instant.EPOCH;
  private volatile long pollNanos;
  private volatile String offsetResetNotice;
  private volatile String topicNotice;
  private TopicIncarnations incarnations;

  /** The id of the topic incarnation being read, null until known. */
  private String topicId;

  /** The name the records of that incarnation are recorded under (see TopicIncarnations). */
  private String recordedAs;

  private volatile String stalled;
  private volatile String lastStall;
  private long lastStandbyStatus;

  /**
   * In {@code unfenced-stale-checkpoint} the warehouse is open only while this lease is held (see
   * {@link #held}); the lock keeps this process's own threads (the batches, the status, the reads)
   * from opening the file twice at once, nothing else.
   */
  private final java.util.concurrent.locks.ReentrantLock lease =
      new java.util.concurrent.locks.ReentrantLock();

  /** What a run did. */
  public record Summary(long records, long batches, WarehouseTotals totals) {}

  public ConsumerService(ConsumerSettings settings, CrashPoints crashPoints, Clock clock) {
    this.settings = settings;
    this.crashPoints = crashPoints;
    this.clock = clock;
    // a restarted process must not repeat the previous one's random lake names
    this.strategies =
        SinkStrategies.forVariant(settings.variant(), settings.seed() ^ clock.millis());
  }

  /** Runs until stopped, or until a bound of the settings is reached. */
  public Summary run() {
    try {
      sink = openOrStandBy();
      if (sink == null) {
        writeStandby("stopped", stalled);
        return new Summary(0, 0, new WarehouseTotals(0, 0, 0, 0));
      }
      reads = startReads();
      try (TopicIncarnations ids =
              new TopicIncarnations(
                  settings.bootstrapServers(), settings.kafkaProperties(), settings.topic());
          KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafkaProperties())) {
        incarnations = ids;
        kafka = consumer;
        loop(consumer);
      } finally {
        kafka = null;
      }
      writeStatus("stopped");
      WarehouseTotals totals = held(sink::totals);
      LOG.info("consumer stopped after {} records in {} batches: {}", records, batches, totals);
      return new Summary(records, batches, totals);
    } finally {
      if (reads != null) {
        reads.close();
      }
      if (sink != null) {
        sink.close();
      }
      stopped.countDown();
    }
  }

  /**
   * Opens the warehouse and the lake, or, while another process holds the warehouse's lock (a
   * second consumer started against the same warehouse, say while the first one is paused), stands
   * by: it touches neither the warehouse, the lake nor Kafka, says so in its status ({@code
   * standby} with the reason in {@code stalled}) and tries again every second. The lock is the
   * fence: of two consumers of one warehouse only the one holding it reads, writes and commits.
   * Returns null when stopped while standing by.
   */
  private BatchSink openOrStandBy() {
    while (true) {
      try {
        BatchSink opened =
            BatchSink.open(
                settings.warehouseFile(), settings.lakeRoot(), strategies, crashPoints, clock);
        if (stalled != null) {
          LOG.info("the warehouse is free again; taking over");
          stalled = null;
        }
        if (strategies.opensWarehousePerBatch()) {
          opened.release(); // opened again for each batch, see held()
        }
        return opened;
      } catch (RuntimeException e) {
        if (!heldByAnother(e)) {
          throw e;
        }
        if (stalled == null) {
          LOG.warn("standing by: {}", e.getMessage());
        }
        stalled =
            "the warehouse is held by another process ("
                + lockHolder(e)
                + "); standing by without reading or writing anything";
        lastStall = stalled;
        if (lastStandbyStatus == 0
            || System.nanoTime() - lastStandbyStatus >= Duration.ofSeconds(1).toNanos()) {
          writeStandby("standby", stalled);
          lastStandbyStatus = System.nanoTime();
        }
        // unfenced-stale-checkpoint: the lock is no fence there, only a file that is busy for a
        // moment, so it is tried again as often as between batches
        sleep(strategies.opensWarehousePerBatch() ? LEASE_RETRY : Duration.ofSeconds(1));
        if (stopping) {
          return null;
        }
      }
    }
  }

  /**
   * Whether {@code e} says the warehouse file is locked by another process (DuckDB's file lock).
   */
  static boolean heldByAnother(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("Could not set lock") || m.contains("Conflicting lock")) {
        return true;
      }
    }
    return false;
  }

  /** DuckDB's words on who holds the lock ({@code Conflicting lock is held in ... (PID n)}). */
  static String lockHolder(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      int at = m.indexOf("Conflicting lock");
      if (at >= 0) {
        int end = m.indexOf(')', at);
        return end < 0 ? m.substring(at) : m.substring(at, end + 1);
      }
    }
    return String.valueOf(e.getMessage());
  }

  /** How long {@link #held} waits before trying again to open a warehouse another process has. */
  private static final Duration LEASE_RETRY = Duration.ofMillis(20);

  /**
   * Runs {@code work} with the warehouse open. The correct consumer holds the warehouse for its
   * life, so this only runs it. {@code unfenced-stale-checkpoint} (apache/iceberg#17551) opens the
   * warehouse here and closes it after, trying again every {@link #LEASE_RETRY} while another
   * process has the file: nothing fences a second consumer of the same warehouse out, both write,
   * and a consumer that was paused goes on from the position it held in memory.
   */
  private <T> T held(java.util.function.Supplier<T> work) {
    if (!strategies.opensWarehousePerBatch()) {
      return work.get();
    }
    enter();
    boolean done = false;
    try {
      T result = work.get();
      done = true;
      return result;
    } finally {
      leave(done);
    }
  }

  private void held(Runnable work) {
    held(
        () -> {
          work.run();
          return null;
        });
  }

  /** Takes the lease, and opens the warehouse unless this thread holds it already. */
  private void enter() {
    lease.lock();
    if (lease.getHoldCount() > 1) {
      return;
    }
    try {
      long waitingSince = System.nanoTime();
      while (true) {
        try {
          sink.reacquire();
          return;
        } catch (RuntimeException e) {
          if (!heldByAnother(e)
              || stopping && System.nanoTime() - waitingSince > Duration.ofSeconds(5).toNanos()) {
            throw e;
          }
          try {
            Thread.sleep(LEASE_RETRY.toMillis());
          } catch (InterruptedException interrupted) {
            // the reads thread is interrupted when its endpoint closes: give up this hold only
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the warehouse", interrupted);
          }
        }
      }
    } catch (RuntimeException e) {
      lease.unlock();
      throw e;
    }
  }

  /** Closes the warehouse when the outermost holder leaves (without a checkpoint if it failed). */
  private void leave(boolean done) {
    try {
      if (lease.getHoldCount() == 1) {
        if (done) {
          sink.release();
        } else {
          sink.abandonWarehouse();
        }
      }
    } finally {
      lease.unlock();
    }
  }

  /**
   * The read endpoint: beside the writer for the consumer's life, or in {@code
   * unfenced-stale-checkpoint} opening the warehouse for each read.
   */
  private ReadEndpoint startReads() {
    if (!strategies.opensWarehousePerBatch()) {
      return ReadEndpoint.start(sink.warehouse());
    }
    return ReadEndpoint.start(
        new ReadEndpoint.Connections() {
          @Override
          public java.sql.Connection take() {
            enter();
            try {
              return sink.warehouse().readerConnection();
            } catch (RuntimeException e) {
              leave(false);
              throw e;
            }
          }

          @Override
          public void give(java.sql.Connection connection) {
            try {
              connection.close();
            } catch (java.sql.SQLException ignored) {
              // closing a reader: nothing to keep
            } finally {
              leave(true);
            }
          }

          @Override
          public void close() {
            // nothing held between reads
          }
        });
  }

  /** The status of a consumer that holds no warehouse: nothing applied by it, the reason. */
  private void writeStandby(String state, String why) {
    if (settings.statusFile() == null) {
      return;
    }
    new ConsumerStatus(
            "consumer",
            state,
            settings.variant().cliName(),
            0,
            0,
            0,
            0,
            0,
            Map.of(),
            null,
            clock.instant(),
            null,
            null,
            why,
            lastStall,
            null)
        .writeTo(settings.statusFile());
  }

  /**
   * Wall time in ms spent polling Kafka and in each phase of the batches (decode, lake, warehouse):
   * where the consumer's time goes.
   */
  public Map<String, Long> phaseMillis() {
    Map<String, Long> ms = new java.util.LinkedHashMap<>();
    ms.put("poll", pollNanos / 1_000_000);
    BatchSink s = sink;
    if (s != null) {
      ms.putAll(s.phaseMillis());
    }
    return ms;
  }

  /** Asks {@link #run()} to return after the batch in hand; safe from any thread, idempotent. */
  public void stop() {
    stopping = true;
    KafkaConsumer<byte[], byte[]> k = kafka;
    if (k != null) {
      k.wakeup();
    }
  }

  /** Waits until {@link #run()} has returned (or never started and {@link #stop()} was called). */
  public boolean awaitStopped(Duration timeout) throws InterruptedException {
    return stopped.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Registers a JVM shutdown hook (SIGTERM, Ctrl-C) that stops the consumer and waits up to 30 s
   * for it to close the warehouse. Returns the hook.
   */
  public Thread stopOnShutdown() {
    Thread hook =
        new Thread(
            () -> {
              stop();
              try {
                awaitStopped(Duration.ofSeconds(30));
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "consumer-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }

  private void loop(KafkaConsumer<byte[], byte[]> consumer) {
    Instant lastData = clock.instant();
    writeStatus("running");
    while (!stopping) {
      try {
        refreshPartitions(consumer);
        if (assigned.isEmpty()) {
          sleep(settings.pollTimeout());
          if (idleTooLong(lastData)) {
            break;
          }
          continue;
        }
        long polling = System.nanoTime();
        List<ConsumerRecord<byte[], byte[]>> batch;
        try {
          batch = pollBatch(consumer);
        } catch (OffsetOutOfRangeException e) {
          logMoved(consumer, e.offsetOutOfRangePartitions());
          continue;
        } catch (NoOffsetForPartitionException e) {
          seekToCheckpoints(consumer, new ArrayList<>(e.partitions()));
          continue;
        }
        pollNanos += System.nanoTime() - polling;
        if (batch.isEmpty()) {
          if (sink.flushCheckpoints()) {
            writeStatus("running");
          }
          if (idleTooLong(lastData)) {
            LOG.info("no records for {}, stopping", settings.stopWhenIdle());
            break;
          }
          continue;
        }
        if (!sameIncarnation(consumer)) {
          continue;
        }
        lastData = clock.instant();
        if (settings.maxMessages() > 0) {
          long left = settings.maxMessages() - records;
          if (batch.size() > left) {
            batch = batch.subList(0, (int) left);
          }
        }
        try {
          process(consumer, batch);
        } catch (BatchAssembler.PoisonRetry e) {
          // poison-retried-forever: take the batch again from the checkpoints, still "running"
          LOG.warn("batch failed, retrying it: {}", e.getMessage());
          sleep(Duration.ofMillis(200));
          seekToCheckpoints(consumer, new ArrayList<>(assigned));
          continue;
        } catch (RuntimeException e) {
          Optional<String> full = noSpace(e);
          if (full.isEmpty()) {
            throw e;
          }
          standStill(consumer, batch.size(), full.get());
          continue;
        }
        if (stalled != null) {
          LOG.info("space is back: the batch went through; running again");
          stalled = null;
          writeStatus("running");
        }
        if (settings.maxMessages() > 0 && records >= settings.maxMessages()) {
          break;
        }
      } catch (WakeupException e) {
        if (!stopping) {
          throw e;
        }
      }
    }
  }

  /**
   * A batch failed for want of space (the lake's or the warehouse's file system is full): nothing
   * of it was committed (the lake is written before the warehouse commits, and a failed write
   * aborts the batch). The consumer says so in its status ({@code stalled}), waits a second, opens
   * the warehouse again from its file (a commit that failed to write the WAL may leave the
   * connection out of step), and goes back to its checkpoints, which also removes the files the
   * batch left half written; it takes the same records again until they go through. It neither
   * skips the batch nor applies any of it twice.
   */
  private void standStill(KafkaConsumer<byte[], byte[]> consumer, int size, String why) {
    if (stalled == null) {
      LOG.warn("stalled: no space left ({}); retrying every second", why);
    }
    stalled =
        "a store's file system is full ("
            + why
            + "): a batch of "
            + size
            + " records was not applied and nothing of it committed; retrying from the checkpoints"
            + " every second until space returns";
    lastStall = stalled;
    writeStatus("stalled");
    sleep(Duration.ofSeconds(1));
    // the failed commit may have left the connection out of step with the file: start afresh
    reopen();
    seekToCheckpoints(consumer, new ArrayList<>(assigned));
  }

  /**
   * Drops the warehouse connection without a checkpoint and opens the warehouse again from its
   * file, with a new read endpoint (its URL is in the next status).
   */
  private void reopen() {
    if (reads != null) {
      reads.close();
      reads = null;
    }
    sink.abandon();
    BatchSink fresh = openOrStandBy();
    if (fresh == null) {
      throw new IllegalStateException("stopped while reopening the warehouse");
    }
    sink = fresh;
    reads = startReads();
  }

  /** The words of a failure for want of space anywhere in {@code e}'s causes, if it is one. */
  static Optional<String> noSpace(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("No space left on device")
          || m.contains("not enough space")
          || m.contains("disk is full")) {
        int nl = m.indexOf('\n');
        return Optional.of(nl < 0 ? m : m.substring(0, nl));
      }
    }
    return Optional.empty();
  }

  private boolean idleTooLong(Instant lastData) {
    return settings.stopWhenIdle() != null
        && Duration.between(lastData, clock.instant()).compareTo(settings.stopWhenIdle()) >= 0;
  }

  private List<ConsumerRecord<byte[], byte[]>> pollBatch(KafkaConsumer<byte[], byte[]> consumer) {
    List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
    ConsumerRecords<byte[], byte[]> polled = consumer.poll(settings.pollTimeout());
    polled.forEach(batch::add);
    long lingerEnd = System.nanoTime() + settings.maxLinger().toNanos();
    while (!batch.isEmpty()
        && batch.size() < settings.batchSize()
        && !stopping
        && System.nanoTime() < lingerEnd) {
      ConsumerRecords<byte[], byte[]> more = consumer.poll(Duration.ofMillis(10));
      if (more.isEmpty()) {
        break;
      }
      more.forEach(batch::add);
    }
    if (batch.size() <= settings.batchSize()) {
      return batch;
    }
    // take a batch's worth and seek back to the first record not taken of each partition
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : batch.subList(settings.batchSize(), batch.size())) {
      rewind.merge(new TopicPartition(r.topic(), r.partition()), r.offset(), Math::min);
    }
    rewind.forEach(consumer::seek);
    return new ArrayList<>(batch.subList(0, settings.batchSize()));
  }

  private void process(
      KafkaConsumer<byte[], byte[]> consumer, List<ConsumerRecord<byte[], byte[]>> polled) {
    List<RawRecord> raw = new ArrayList<>(polled.size());
    for (ConsumerRecord<byte[], byte[]> r : polled) {
      raw.add(toRaw(r, recordedAs));
    }
    held(
        () -> {
          sink.process(raw, next -> commitOffsets(consumer, next));
          records += polled.size();
          batches++;
          writeStatus("running");
        });
  }

  private void commitOffsets(KafkaConsumer<byte[], byte[]> consumer, Map<Integer, Long> next) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    next.forEach(
        (p, o) ->
            offsets.put(
                new TopicPartition(settings.topic(), p), new OffsetAndMetadata(o, OWN_POSITION)));
    try {
      consumer.commitSync(offsets, COMMIT_TIMEOUT);
    } catch (WakeupException e) {
      if (!stopping) {
        throw e;
      }
    } catch (KafkaException e) {
      // informational only: the warehouse checkpoint already holds the progress
      LOG.warn("offset commit failed (progress is safe in wh_checkpoints): {}", e.toString());
    }
  }

  private void refreshPartitions(KafkaConsumer<byte[], byte[]> consumer) {
    Instant now = clock.instant();
    Duration every = assigned.isEmpty() ? TOPIC_WAIT : PARTITION_REFRESH;
    if (Duration.between(lastPartitionRefresh, now).compareTo(every) < 0) {
      return;
    }
    lastPartitionRefresh = now;
    Optional<String> id = currentTopicId();
    if (id.isEmpty()) {
      // the topic is absent (being created, or deleted and not yet created again) or Kafka does
      // not answer: nothing to assign until it is known which incarnation is there
      return;
    }
    if (topicId == null) {
      adopt(id.get(), null);
    } else if (!topicId.equals(id.get())) {
      recreated(consumer, id.get());
    }
    List<PartitionInfo> infos;
    try {
      infos = consumer.partitionsFor(settings.topic(), Duration.ofSeconds(5));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("cannot list partitions of {}: {}", settings.topic(), e.toString());
      return;
    }
    List<TopicPartition> fresh = new ArrayList<>();
    for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
      TopicPartition tp = new TopicPartition(info.topic(), info.partition());
      if (!assigned.contains(tp)) {
        fresh.add(tp);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    assigned.addAll(fresh);
    consumer.assign(assigned);
    seekToCheckpoints(consumer, fresh);
  }

  /**
   * The topic's id; in {@code offset-watermark-dedup} always the same made-up one: that consumer
   * never looks at which incarnation it reads.
   */
  private Optional<String> currentTopicId() {
    return strategies.dedupsByOffsetWatermark()
        ? Optional.of("offset-watermark-dedup")
        : incarnations.currentId();
  }

  /**
   * Whether the records just polled certainly come from the incarnation being read: the topic's id
   * is asked again after the poll (an id is never reused, so the same id as at the last question
   * means the topic was not recreated in between). When it changed, or cannot be told, the records
   * are not applied: a recreated topic is read from its own checkpoints (its beginning), an unknown
   * one from the checkpoints again once the id is known.
   */
  private boolean sameIncarnation(KafkaConsumer<byte[], byte[]> consumer) {
    Optional<String> id = currentTopicId();
    // a slow or flaky link: ask again before giving the polled records up
    for (int attempt = 1; id.isEmpty() && attempt < 3 && !stopping; attempt++) {
      sleep(Duration.ofMillis(200));
      id = currentTopicId();
    }
    if (id.isPresent() && id.get().equals(topicId)) {
      return true;
    }
    if (id.isPresent()) {
      recreated(consumer, id.get());
    } else {
      LOG.warn(
          "cannot tell which incarnation of {} the polled records come from", settings.topic());
      seekToCheckpoints(consumer, new ArrayList<>(assigned));
      sleep(settings.pollTimeout());
    }
    return false;
  }

  /**
   * Takes {@code id} as the incarnation being read. {@code before} is the name the previous
   * incarnation's records were recorded under while this process ran, null at start: an id the
   * warehouse does not know while it knows others then means the topic was recreated while the
   * consumer was down.
   */
  private void adopt(String id, String before) {
    java.util.Set<String> known =
        held(() -> sink.warehouse().incarnations(settings.topic()).keySet());
    boolean recreatedWhileDown = before == null && !known.isEmpty() && !known.contains(id);
    topicId = id;
    recordedAs = held(() -> TopicIncarnations.recordedAs(sink.warehouse(), settings.topic(), id));
    if (before != null || recreatedWhileDown) {
      topicNotice =
          "topic "
              + settings.topic()
              + " was recreated (id "
              + String.join(", ", known.stream().filter(k -> !k.equals(id)).toList())
              + " -> "
              + id
              + "); offsets restart at 0: resuming the new incarnation from its own checkpoints"
              + " (its beginning) as "
              + recordedAs
              + ", the records of the old one stay recorded as "
              + (before == null ? "before" : before);
      LOG.warn("{}", topicNotice);
    } else if (topicNotice == null) {
      topicNotice = "reading topic " + settings.topic() + " id " + id + " as " + recordedAs;
    }
  }

  /**
   * The topic was deleted and created again (its id changed): every partition is read again from
   * the new incarnation's own checkpoints, which start empty, so from offset 0. Nothing of the old
   * incarnation is touched; what a reader meets twice is absorbed by the ledger.
   */
  private void recreated(KafkaConsumer<byte[], byte[]> consumer, String id) {
    String before = recordedAs;
    adopt(id, before);
    sink.forgetInLakeBelow();
    assigned.clear();
    consumer.assign(List.of());
    lastPartitionRefresh = Instant.EPOCH;
    writeStatus("running");
  }

  /**
   * Seeks the given partitions to the warehouse checkpoints (the sink drops orphan lake files),
   * unless the consumer group holds a position someone else wrote there (an operator's offset
   * reset): one below the checkpoint is honoured (the records from there are read again, the ledger
   * absorbs them and the lake, complete below the checkpoint, is not written twice), one past it is
   * refused, since it would skip records that were never applied. Either way the status says so,
   * and the next offset commit puts this consumer's own position back in the group.
   */
  /**
   * The log moved under the consumer's position ({@code auto.offset.reset=none} makes Kafka say so
   * instead of jumping to the end in silence): records below the log's start were deleted before
   * they were applied (retention, {@code delete-records}), or the log's end went back below the
   * position (an unclean leader election truncated it). Either way the consumer says which records
   * and how many in its status ({@code offsetReset}) and its log, then goes on from the log's start
   * or end: nothing it could still read is skipped.
   */
  private void logMoved(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> at) {
    Map<TopicPartition, Long> begin = consumer.beginningOffsets(at.keySet(), COMMIT_TIMEOUT);
    Map<TopicPartition, Long> end = consumer.endOffsets(at.keySet(), COMMIT_TIMEOUT);
    List<String> said = new ArrayList<>();
    at.forEach(
        (tp, position) -> {
          long first = begin.getOrDefault(tp, 0L);
          long last = end.getOrDefault(tp, 0L);
          if (position < first) {
            said.add(
                "partition "
                    + tp.partition()
                    + ": records "
                    + position
                    + " to "
                    + (first - 1)
                    + " were deleted from Kafka before they were applied ("
                    + (first - position)
                    + " records lost to this warehouse); resuming at the log's start "
                    + first);
            consumer.seek(tp, first);
          } else if (position > last) {
            said.add(
                "partition "
                    + tp.partition()
                    + ": the log now ends at "
                    + last
                    + ", below the position "
                    + position
                    + " (it was truncated: records applied from offsets "
                    + last
                    + " on are no longer in Kafka and the offsets will be used again); resuming at"
                    + " its end "
                    + last);
            consumer.seek(tp, last);
          } else {
            consumer.seek(tp, position); // back in range meanwhile
          }
        });
    if (!said.isEmpty()) {
      String notice = "the log moved under the consumer: " + String.join("; ", said);
      offsetResetNotice = offsetResetNotice == null ? notice : offsetResetNotice + ". " + notice;
      LOG.error("{}", notice);
      writeStatus("running");
    }
  }

  private void seekToCheckpoints(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps) {
    Map<Integer, OptionalLong> resume =
        held(() -> sink.resume(recordedAs, tps.stream().map(TopicPartition::partition).toList()));
    Map<TopicPartition, OffsetAndMetadata> group = groupPositions(consumer, tps);
    List<TopicPartition> fromStart = new ArrayList<>();
    List<String> honoured = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (TopicPartition tp : tps) {
      OptionalLong next = resume.get(tp.partition());
      OffsetAndMetadata position = group.get(tp);
      long checkpoint = next.orElse(0L);
      if (position != null
          && !OWN_POSITION.equals(position.metadata())
          && position.offset() != checkpoint) {
        if (position.offset() < checkpoint) {
          consumer.seek(tp, position.offset());
          sink.inLakeBelow(tp.partition(), checkpoint);
          honoured.add(
              "partition "
                  + tp.partition()
                  + " reset to "
                  + position.offset()
                  + ", "
                  + (checkpoint - position.offset())
                  + " records below the checkpoint "
                  + checkpoint
                  + " read again");
          continue;
        }
        refused.add(
            "partition "
                + tp.partition()
                + " reset to "
                + position.offset()
                + " would skip "
                + (position.offset() - checkpoint)
                + " records past the checkpoint "
                + checkpoint
                + " that were never applied; resuming at the checkpoint");
      }
      if (next.isPresent()) {
        consumer.seek(tp, resumeOffset(tp, next.getAsLong()));
      } else {
        fromStart.add(tp);
      }
    }
    if (!fromStart.isEmpty()) {
      if (strategies.resumeRule() == ResumeRule.CHECKPOINT_OR_END) {
        consumer.seekToEnd(fromStart); // fresh-start-at-latest
      } else {
        consumer.seekToBeginning(fromStart);
      }
    }
    if (!honoured.isEmpty() || !refused.isEmpty()) {
      List<String> parts = new ArrayList<>();
      if (!honoured.isEmpty()) {
        parts.add("honoured an offset reset someone else wrote: " + String.join("; ", honoured));
      }
      if (!refused.isEmpty()) {
        parts.add("refused an offset reset someone else wrote: " + String.join("; ", refused));
      }
      offsetResetNotice = String.join(". ", parts);
      LOG.warn("{}", offsetResetNotice);
    }
    LOG.info("partitions {} resume at {}", tps, resume);
  }

  /**
   * The offset a partition with checkpoint {@code next} resumes at: {@code next}, except in {@code
   * checkpoint-by-timestamp}, which resumes at the first record stamped later than the last one
   * applied (record {@code next - 1}), as if the timestamp were a position of its own.
   */
  private long resumeOffset(TopicPartition tp, long next) {
    if (strategies.resumeRule() != ResumeRule.AFTER_LAST_APPLIED_TIMESTAMP || next == 0) {
      return next;
    }
    Properties p = kafkaProperties();
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-consumer-position");
    try (KafkaConsumer<byte[], byte[]> look = new KafkaConsumer<>(p)) {
      look.assign(List.of(tp));
      look.seek(tp, next - 1);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : look.poll(Duration.ofMillis(200)).records(tp)) {
          if (r.offset() == next - 1) {
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndTimestamp> at =
                look.offsetsForTimes(Map.of(tp, r.timestamp() + 1), COMMIT_TIMEOUT);
            org.apache.kafka.clients.consumer.OffsetAndTimestamp o = at.get(tp);
            long resume =
                o != null
                    ? o.offset()
                    : look.endOffsets(List.of(tp), COMMIT_TIMEOUT).getOrDefault(tp, next);
            LOG.info(
                "partition {} resumes after timestamp {} at offset {} (checkpoint {})",
                tp,
                r.timestamp(),
                resume,
                next);
            return resume;
          }
        }
      }
    } catch (KafkaException e) {
      LOG.warn("cannot look up the last applied record of {}: {}", tp, e.toString());
    }
    return next;
  }

  /**
   * The positions the consumer group holds for {@code tps}; empty when Kafka does not answer in
   * time (the checkpoints are the truth either way; a reset is then looked at on the next start).
   */
  private Map<TopicPartition, OffsetAndMetadata> groupPositions(
      KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> tps) {
    try {
      Map<TopicPartition, OffsetAndMetadata> m =
          consumer.committed(new java.util.HashSet<>(tps), COMMIT_TIMEOUT);
      Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
      m.forEach(
          (tp, o) -> {
            if (o != null) {
              out.put(tp, o);
            }
          });
      return out;
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn("cannot read the group's positions of {}: {}", tps, e.toString());
      return Map.of();
    }
  }

  private Properties kafkaProperties() {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    // every position is set by a seek; a position the log no longer has is reported, not skipped
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "none");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(settings.batchSize()));
    p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, String.valueOf(4 << 20));
    p.put(ConsumerConfig.CLIENT_ID_CONFIG, "cdc-chaos-consumer");
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.putAll(settings.kafkaProperties());
    return p;
  }

  /** A Kafka record as the lake keeps it (header values as UTF-8 text). */
  public static RawRecord toRaw(ConsumerRecord<byte[], byte[]> r) {
    return toRaw(r, r.topic());
  }

  /** A Kafka record as the lake keeps it, recorded under the name {@code topic}. */
  static RawRecord toRaw(ConsumerRecord<byte[], byte[]> r, String topic) {
    Map<String, String> headers = new TreeMap<>();
    for (Header h : r.headers()) {
      headers.put(h.key(), h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8));
    }
    return new RawRecord(
        topic, r.partition(), r.offset(), r.timestamp(), r.key(), r.value(), headers);
  }

  private void writeStatus(String state) {
    if (settings.statusFile() == null) {
      return;
    }
    held(() -> writeStatusHeld(state));
  }

  private void writeStatusHeld(String state) {
    WarehouseTotals t = sink.totals();
    Map<String, Long> checkpoints = new TreeMap<>();
    sink.warehouse()
        .checkpoints(recordedAs == null ? settings.topic() : recordedAs)
        .forEach((p, o) -> checkpoints.put(String.valueOf(p), o));
    new ConsumerStatus(
            "consumer",
            state,
            settings.variant().cliName(),
            t.applied(),
            t.duplicates(),
            t.deadLettered(),
            sink.lakeRecords(),
            batches,
            checkpoints,
            reads == null ? null : reads.url(),
            clock.instant(),
            offsetResetNotice,
            topicNotice,
            stalled,
            lastStall,
            recordedAs)
        .writeTo(settings.statusFile());
  }

  private void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
