package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.LakeWriter;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.BatchResult;
import dev.cdcchaos.pipeline.warehouse.CommitRule;
import dev.cdcchaos.pipeline.warehouse.Warehouse;
import dev.cdcchaos.pipeline.warehouse.WarehouseTotals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The consumer's work on one polled batch, without Kafka: decode, lake, warehouse, with the crash
 * points in between, and where to resume after a restart. {@link ConsumerService} feeds it from
 * Kafka; tests feed it from a list and crash it at each point.
 */
public final class BatchSink implements AutoCloseable {
  private final Path warehouseFile;

  /** Null while released ({@link #release()}). */
  private volatile Warehouse warehouse;

  private final LakeWriter lake;
  private final SinkStrategies strategies;
  private final BatchAssembler assembler;
  private final CrashPoints crashPoints;
  private final Clock clock;
  private long lakeRecords;
  private long decodeNanos;
  private long lakeAndWarehouseNanos;
  private volatile long lakeNanos;
  private long lakeWaitNanos;
  private final boolean overlapLake;
  private final ExecutorService lakeThread;
  private final Map<String, Map<Integer, Long>> deferredCheckpoints = new TreeMap<>();
  private final Map<Integer, Long> inLakeBelow = new java.util.HashMap<>();
  private java.time.Instant lastCheckpointSave = java.time.Instant.EPOCH;

  private BatchSink(
      Path warehouseFile,
      Warehouse warehouse,
      LakeWriter lake,
      SinkStrategies strategies,
      CrashPoints crashPoints,
      Clock clock) {
    this.warehouseFile = warehouseFile;
    this.warehouse = warehouse;
    this.lake = lake;
    this.strategies = strategies;
    this.assembler = new BatchAssembler(strategies.checkpointScope(), strategies.poisonRule());
    this.crashPoints = crashPoints;
    this.clock = clock;
    this.lakeRecords = LakeReader.count(lake.root());
    // only a one-transaction warehouse can wait for the lake before anything becomes visible
    this.overlapLake = warehouse.rules().commitRule() == CommitRule.ONE_TRANSACTION;
    this.lakeThread =
        overlapLake
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "lake-writer");
                  t.setDaemon(true);
                  return t;
                })
            : null;
    if (lakeThread != null) {
      lakeThread.execute(lake::warmUp); // while the consumer joins its group
    }
  }

  public static BatchSink open(
      Path warehouseFile,
      Path lakeRoot,
      SinkStrategies strategies,
      CrashPoints crashPoints,
      Clock clock) {
    Warehouse wh = Warehouse.open(warehouseFile, strategies.applyRules(), crashPoints, clock);
    try {
      return new BatchSink(
          warehouseFile,
          wh,
          new LakeWriter(lakeRoot, strategies.lakeNaming()),
          strategies,
          crashPoints,
          clock);
    } catch (RuntimeException e) {
      wh.close();
      throw e;
    }
  }

  /**
   * Where each partition resumes: the warehouse checkpoint, or empty for "from the beginning". Lake
   * files of those partitions' batches that never reached the warehouse are deleted, since they
   * will be read and written again.
   */
  public Map<Integer, OptionalLong> resume(String topic, Collection<Integer> partitions) {
    Map<Integer, Long> stored = warehouse().checkpoints(topic);
    Map<Integer, OptionalLong> out = new TreeMap<>();
    Map<Integer, Long> resumeAt = new TreeMap<>();
    for (int p : partitions) {
      OptionalLong next = strategies.checkpointScope().seekOffset(stored, p);
      out.put(p, next);
      resumeAt.put(p, next.orElse(0L));
    }
    if (!lake.discardUncommitted(topic, resumeAt).isEmpty()) {
      lakeRecords = LakeReader.count(lake.root());
    }
    return out;
  }

  /**
   * The lake already holds every record of {@code partition} below {@code offset} (it is complete
   * below the checkpoint): records read again from below it are applied (the ledger absorbs them)
   * but not written to the lake a second time.
   */
  public void inLakeBelow(int partition, long offset) {
    inLakeBelow.merge(partition, offset, Math::max);
  }

  /**
   * Forgets what {@link #inLakeBelow} said: the topic was recreated, its offsets restart at 0, and
   * the lake holds nothing of the new incarnation yet.
   */
  public void forgetInLakeBelow() {
    inLakeBelow.clear();
  }

  /**
   * Processes one batch of one topic in poll order. {@code commitOffsets} gets the next offset per
   * partition and is called after the warehouse commit (in {@code offset-before-write} it is
   * called, and the warehouse checkpoints are saved, before anything else is written).
   */
  public BatchResult process(List<RawRecord> records, Consumer<Map<Integer, Long>> commitOffsets) {
    if (strategies.dedupsByOffsetWatermark()) {
      records = aboveWatermark(records);
      if (records.isEmpty()) {
        return new BatchResult(0, 0, 0, 0, 0);
      }
    }
    long t0 = System.nanoTime();
    AssembledBatch batch = withoutRecordsInLake(assembler.assemble(records, clock.instant()));
    long t1 = System.nanoTime();
    if (strategies.commitsOffsetsFirst()) {
      warehouse().saveCheckpoints(batch.warehouseBatch().checkpoints());
      commitOffsets.accept(batch.nextOffsets());
    }
    BatchResult result;
    if (overlapLake) {
      result = applyWhileLakeWrites(batch);
    } else {
      lake.write(batch.lakeRecords());
      lakeNanos += System.nanoTime() - t1;
      crashPoints.reach(CrashPoints.CONSUMER_AFTER_LAKE);
      result = warehouse().applyBatch(batch.warehouseBatch());
    }
    long t3 = System.nanoTime();
    decodeNanos += t1 - t0;
    lakeAndWarehouseNanos += t3 - t1;
    crashPoints.reach(CrashPoints.CONSUMER_AFTER_WAREHOUSE);
    crashPoints.reach(CrashPoints.CONSUMER_BEFORE_OFFSET_COMMIT);
    if (!strategies.commitsOffsetsFirst()) {
      commitOffsets.accept(batch.nextOffsets());
    }
    lakeRecords += batch.lakeRecords().size();
    if (strategies.applyRules().commitRule() == CommitRule.CHECKPOINT_LATER) {
      for (dev.cdcchaos.pipeline.warehouse.Checkpoint c : batch.warehouseBatch().checkpoints()) {
        deferredCheckpoints
            .computeIfAbsent(c.topic(), t -> new TreeMap<>())
            .merge(c.partition(), c.nextOffset(), Math::max);
      }
      if (!clock.instant().isBefore(lastCheckpointSave.plusSeconds(1))) {
        flushCheckpoints();
      }
    }
    return result;
  }

  /**
   * {@code offset-watermark-dedup} (apache/iceberg#15293): a record below its partition's
   * checkpoint is taken for one already applied and dropped, whatever topic it came from.
   */
  private List<RawRecord> aboveWatermark(List<RawRecord> records) {
    Map<String, Map<Integer, Long>> marks = new TreeMap<>();
    return records.stream()
        .filter(
            r ->
                r.offset()
                    >= marks
                        .computeIfAbsent(r.topic(), warehouse()::checkpoints)
                        .getOrDefault(r.partition(), 0L))
        .toList();
  }

  private AssembledBatch withoutRecordsInLake(AssembledBatch batch) {
    if (inLakeBelow.isEmpty()) {
      return batch;
    }
    List<dev.cdcchaos.pipeline.lake.LakeRecord> lakeRecords =
        batch.lakeRecords().stream()
            .filter(r -> r.raw().offset() >= inLakeBelow.getOrDefault(r.raw().partition(), 0L))
            .toList();
    return new AssembledBatch(lakeRecords, batch.warehouseBatch(), batch.nextOffsets());
  }

  /**
   * Saves the checkpoints a {@code deferred-checkpoint} warehouse holds back; the consumer calls it
   * when it idles. Nothing to do for the other variants. Returns whether it saved any.
   */
  public boolean flushCheckpoints() {
    if (deferredCheckpoints.isEmpty()) {
      return false;
    }
    List<dev.cdcchaos.pipeline.warehouse.Checkpoint> all = new java.util.ArrayList<>();
    deferredCheckpoints.forEach(
        (topic, byPartition) ->
            byPartition.forEach(
                (p, o) -> all.add(new dev.cdcchaos.pipeline.warehouse.Checkpoint(topic, p, o))));
    warehouse().saveCheckpoints(all);
    deferredCheckpoints.clear();
    lastCheckpointSave = clock.instant();
    return true;
  }

  /**
   * The lake write runs on the lake thread while the warehouse stages and applies the batch on this
   * one; the warehouse transaction waits for the lake before it commits, so a committed batch is
   * always in the lake, and a crash before that commit leaves at most lake files the next start
   * discards or rewrites.
   */
  private BatchResult applyWhileLakeWrites(AssembledBatch batch) {
    long t1 = System.nanoTime();
    Future<?> lakeWrite =
        lakeThread.submit(
            () -> {
              lake.write(batch.lakeRecords());
              lakeNanos += System.nanoTime() - t1;
            });
    try {
      return warehouse()
          .applyBatch(
              batch.warehouseBatch(),
              () -> {
                long w = System.nanoTime();
                await(lakeWrite);
                lakeWaitNanos += System.nanoTime() - w;
                crashPoints.reach(CrashPoints.CONSUMER_AFTER_LAKE);
              });
    } finally {
      // done already unless the warehouse failed first: then the lake write must still finish
      // before the next batch starts; the warehouse's failure is the one reported
      try {
        lakeWrite.get();
      } catch (ExecutionException | RuntimeException e) {
        // reported by await() when the lake failed first, else superseded
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static void await(Future<?> f) {
    try {
      f.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) {
        throw re;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("lake write failed", cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the lake write", e);
    }
  }

  /**
   * Wall time since open in ms: decoding; the lake and warehouse phase of the batches (they
   * overlap); the lake write alone; and how long the warehouse waited for the lake before its
   * commit. Where a batch's time goes.
   */
  public Map<String, Long> phaseMillis() {
    Map<String, Long> ms = new java.util.LinkedHashMap<>();
    ms.put("decode", decodeNanos / 1_000_000);
    ms.put("lake_and_warehouse", lakeAndWarehouseNanos / 1_000_000);
    ms.put("lake_write", lakeNanos / 1_000_000);
    ms.put("waiting_for_lake", lakeWaitNanos / 1_000_000);
    return ms;
  }

  /** Records in the lake (counted from footers on open, then kept up to date). */
  public long lakeRecords() {
    return lakeRecords;
  }

  public WarehouseTotals totals() {
    return warehouse().totals();
  }

  public Warehouse warehouse() {
    Warehouse wh = warehouse;
    if (wh == null) {
      throw new IllegalStateException("the warehouse " + warehouseFile + " is released");
    }
    return wh;
  }

  /**
   * Closes the warehouse, letting go of its file (and DuckDB's lock on it) until {@link
   * #reacquire()}; the lake writer and the counters stay. Only the known-bad variant {@code
   * unfenced-stale-checkpoint} does this, between batches: the correct consumer holds the warehouse
   * for its life, and the lock is its fence against a second consumer.
   */
  public void release() {
    letGo(Warehouse::close);
  }

  /**
   * Opens the warehouse file again after {@link #release()}; fails as {@link Warehouse#open} does,
   * e.g. while another process holds the file.
   */
  public void reacquire() {
    if (warehouse == null) {
      warehouse = Warehouse.open(warehouseFile, strategies.applyRules(), crashPoints, clock);
    }
  }

  /** {@link #release()} after a failed batch, without a warehouse checkpoint. */
  public void abandonWarehouse() {
    letGo(Warehouse::abandon);
  }

  /** Forgets the open warehouse, if any, and lets go of it {@code how}. */
  private void letGo(Consumer<Warehouse> how) {
    Warehouse wh = warehouse;
    warehouse = null;
    if (wh != null) {
      how.accept(wh);
    }
  }

  /**
   * Closes the sink after a failed batch, without a warehouse checkpoint ({@link
   * Warehouse#abandon}).
   */
  public void abandon() {
    if (lakeThread != null) {
      lakeThread.shutdownNow();
    }
    abandonWarehouse();
  }

  @Override
  public void close() {
    if (lakeThread != null) {
      lakeThread.shutdownNow();
    }
    release();
  }
}
