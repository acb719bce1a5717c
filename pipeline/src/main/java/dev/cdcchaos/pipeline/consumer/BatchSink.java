package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.LakeWriter;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.BatchResult;
import dev.cdcchaos.pipeline.warehouse.Warehouse;
import dev.cdcchaos.pipeline.warehouse.WarehouseTotals;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The consumer's work on one polled batch, without Kafka: decode, lake, warehouse, with the crash
 * points in between, and where to resume after a restart. {@link ConsumerService} feeds it from
 * Kafka; tests feed it from a list and crash it at each point.
 */
public final class BatchSink implements AutoCloseable {
  private final Warehouse warehouse;
  private final LakeWriter lake;
  private final SinkStrategies strategies;
  private final BatchAssembler assembler;
  private final CrashPoints crashPoints;
  private final Clock clock;
  private long lakeRecords;
  private final long[] phaseNanos = new long[3];

  private BatchSink(
      Warehouse warehouse,
      LakeWriter lake,
      SinkStrategies strategies,
      CrashPoints crashPoints,
      Clock clock) {
    this.warehouse = warehouse;
    this.lake = lake;
    this.strategies = strategies;
    this.assembler = new BatchAssembler(strategies.checkpointScope(), strategies.poisonRule());
    this.crashPoints = crashPoints;
    this.clock = clock;
    this.lakeRecords = LakeReader.count(lake.root());
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
          wh, new LakeWriter(lakeRoot, strategies.lakeNaming()), strategies, crashPoints, clock);
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
    Map<Integer, Long> stored = warehouse.checkpoints(topic);
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
   * Processes one batch of one topic in poll order. {@code commitOffsets} gets the next offset per
   * partition and is called after the warehouse commit (in {@code offset-before-write} it is
   * called, and the warehouse checkpoints are saved, before anything else is written).
   */
  public BatchResult process(List<RawRecord> records, Consumer<Map<Integer, Long>> commitOffsets) {
    long t0 = System.nanoTime();
    AssembledBatch batch = assembler.assemble(records, clock.instant());
    long t1 = System.nanoTime();
    if (strategies.commitsOffsetsFirst()) {
      warehouse.saveCheckpoints(batch.warehouseBatch().checkpoints());
      commitOffsets.accept(batch.nextOffsets());
    }
    lake.write(batch.lakeRecords());
    long t2 = System.nanoTime();
    crashPoints.reach(CrashPoints.CONSUMER_AFTER_LAKE);
    BatchResult result = warehouse.applyBatch(batch.warehouseBatch());
    long t3 = System.nanoTime();
    phaseNanos[0] += t1 - t0;
    phaseNanos[1] += t2 - t1;
    phaseNanos[2] += t3 - t2;
    crashPoints.reach(CrashPoints.CONSUMER_AFTER_WAREHOUSE);
    crashPoints.reach(CrashPoints.CONSUMER_BEFORE_OFFSET_COMMIT);
    if (!strategies.commitsOffsetsFirst()) {
      commitOffsets.accept(batch.nextOffsets());
    }
    lakeRecords += batch.lakeRecords().size();
    return result;
  }

  /** Wall time since open in decode, lake write and warehouse apply, in ms: where a batch goes. */
  public Map<String, Long> phaseMillis() {
    Map<String, Long> ms = new java.util.LinkedHashMap<>();
    ms.put("decode", phaseNanos[0] / 1_000_000);
    ms.put("lake", phaseNanos[1] / 1_000_000);
    ms.put("warehouse", phaseNanos[2] / 1_000_000);
    return ms;
  }

  /** Records in the lake (counted from footers on open, then kept up to date). */
  public long lakeRecords() {
    return lakeRecords;
  }

  public WarehouseTotals totals() {
    return warehouse.totals();
  }

  public Warehouse warehouse() {
    return warehouse;
  }

  @Override
  public void close() {
    warehouse.close();
  }
}
