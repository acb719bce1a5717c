package dev.cdcchaos.pipeline.consumer;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.variant.Variant;
import dev.cdcchaos.pipeline.warehouse.CustomerTotal;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each consumer-side known-bad variant really misbehaves on the input meant to expose it, while the
 * correct pipeline handles the same input (see {@link SinkRecoveryTest} for the crash cases).
 */
class VariantMisbehaviourTest {
  @TempDir Path dir;

  private Path wh(String name) {
    return dir.resolve(name + ".duckdb");
  }

  private int opened;

  /** Each open gets its own seed, as each consumer process does. */
  private BatchSink sink(String name, Variant v, CrashPoints crash) {
    return BatchSink.open(
        wh(name),
        dir.resolve(name + "-lake"),
        SinkStrategies.forVariant(v, ++opened),
        crash,
        Clock.systemUTC());
  }

  private void crashThenRestart(String name, Variant v, String point, SimulatedTopic topic) {
    try (BatchSink s = sink(name, v, new Crash(point, 3))) {
      assertThatThrownBy(() -> topic.drain(s, 5)).isInstanceOf(Crash.Simulated.class);
    }
    try (BatchSink s = sink(name, v, CrashPoints.NONE)) {
      topic.drain(s, 7);
    }
  }

  private List<OrderRow> orders(String name) {
    try (WarehouseReader r = WarehouseReader.open(wh(name))) {
      return r.orders();
    }
  }

  private List<CustomerTotal> totals(String name) {
    try (WarehouseReader r = WarehouseReader.open(wh(name))) {
      return r.customerTotals();
    }
  }

  @Test
  void offsetBeforeWriteLosesTheBatchInFlightAtACrash() {
    SimulatedTopic topic = SinkRecoveryTest.workload(7);
    crashThenRestart("obw", Variant.OFFSET_BEFORE_WRITE, CrashPoints.CONSUMER_AFTER_LAKE, topic);
    assertThat(orders("obw"))
        .as("the batch whose checkpoint was committed before its write is lost")
        .isNotEqualTo(List.copyOf(topic.expectedOrders()))
        .hasSizeLessThan(topic.expectedOrders().size());
  }

  @Test
  void deferredCheckpointShowsRowsNoCheckpointCoversUntilItFlushes() {
    SimulatedTopic topic = SinkRecoveryTest.workload(7);
    try (BatchSink s = sink("dc", Variant.DEFERRED_CHECKPOINT, CrashPoints.NONE)) {
      topic.drain(s, 5);
      WarehouseReader r = s.warehouse().reader();
      assertThat(r.orders())
          .as("every batch's rows are committed")
          .hasSameSizeAs(topic.expectedOrders());
      long covered = r.checkpoints().stream().mapToLong(c -> c.nextOffset()).sum();
      assertThat(covered)
          .as("the checkpoints lag the rows until the consumer idles")
          .isLessThan(topic.size());
      s.flushCheckpoints();
      assertThat(s.warehouse().reader().checkpoints().stream().mapToLong(c -> c.nextOffset()).sum())
          .as("the idle flush brings them level, so the end state is right")
          .isEqualTo(topic.size());
    }
    try (BatchSink s = sink("dc-correct", Variant.CORRECT, CrashPoints.NONE)) {
      topic.drain(s, 5);
      assertThat(s.warehouse().reader().checkpoints().stream().mapToLong(c -> c.nextOffset()).sum())
          .as("the correct warehouse commits each batch's checkpoint with its rows")
          .isEqualTo(topic.size());
    }
  }

  @Test
  void noVersionGuardLetsAnOlderEventOverwriteANewerOne() {
    SimulatedTopic topic = new SimulatedTopic(1);
    topic.send(event(1, 2, "PAID", 500)).send(event(1, 1, "NEW", 400));
    try (BatchSink s = sink("nvg", Variant.NO_VERSION_GUARD, CrashPoints.NONE)) {
      topic.drain(s, 1);
    }
    try (BatchSink s = sink("ok", Variant.CORRECT, CrashPoints.NONE)) {
      topic.drain(s, 1);
    }
    assertThat(orders("ok"))
        .as("correct: v2 stays")
        .containsExactlyElementsOf(topic.expectedOrders());
    assertThat(orders("nvg"))
        .as("variant: the late v1 overwrites v2")
        .containsExactly(new OrderRow(1, 1, "NEW", 400, "EUR", 1, false));
  }

  @Test
  void noIdempotencyLedgerMovesTotalsForALateDuplicate() {
    SimulatedTopic topic = new SimulatedTopic(1);
    topic
        .send(event(1, 1, "NEW", 400))
        .send(event(1, 2, "CANCELLED", 400))
        .send(event(1, 1, "NEW", 400));
    try (BatchSink s = sink("nil", Variant.NO_IDEMPOTENCY_LEDGER, CrashPoints.NONE)) {
      topic.drain(s, 1);
    }
    try (BatchSink s = sink("ok", Variant.CORRECT, CrashPoints.NONE)) {
      topic.drain(s, 1);
    }
    assertThat(totals("ok")).as("correct totals").containsExactlyElementsOf(topic.expectedTotals());
    assertThat(orders("nil"))
        .as("rows are still right: the version guard holds")
        .containsExactlyElementsOf(topic.expectedOrders());
    assertThat(totals("nil"))
        .as("but the duplicate v1 moved the cancelled order's revenue back in")
        .containsExactly(new CustomerTotal(1, 1, 400));
  }

  @Test
  void lakeAppendRandomNameWritesARetriedBatchTwice() {
    SimulatedTopic topic = SinkRecoveryTest.workload(7);
    crashThenRestart(
        "rnd", Variant.LAKE_APPEND_RANDOM_NAME, CrashPoints.CONSUMER_AFTER_LAKE, topic);
    assertThat(orders("rnd"))
        .as("the warehouse converges")
        .containsExactlyElementsOf(topic.expectedOrders());
    assertThat(LakeReader.count(dir.resolve("rnd-lake")))
        .as("but the lake holds the retried batch twice")
        .isGreaterThan(topic.size());
  }

  @Test
  void dlqDropsBatchLosesTheEventsAfterAPoisonMessage() {
    SimulatedTopic topic = new SimulatedTopic(1);
    topic
        .send(event(1, 1, "NEW", 1))
        .sendRaw(0, "{oops".getBytes(StandardCharsets.UTF_8))
        .send(event(2, 1, "NEW", 2));
    try (BatchSink s = sink("dlq", Variant.DLQ_DROPS_BATCH, CrashPoints.NONE)) {
      topic.drain(s, 10);
    }
    try (WarehouseReader r = WarehouseReader.open(wh("dlq"))) {
      assertThat(r.orders())
          .extracting(OrderRow::orderId)
          .as("order 2 came after the poison and is lost")
          .containsExactly(1L);
      assertThat(r.deadLetters()).as("the poison itself is dead-lettered").hasSize(1);
      assertThat(r.checkpoints().get(0).nextOffset())
          .as("yet the checkpoint is past the whole batch")
          .isEqualTo(3);
    }
  }

  @Test
  void nonAtomicCheckpointDoubleCountsTotalsAfterACrashMidBatch() {
    SimulatedTopic topic = SinkRecoveryTest.workload(7);
    crashThenRestart("nac", Variant.NON_ATOMIC_CHECKPOINT, CrashPoints.CONSUMER_MID_BATCH, topic);
    assertThat(orders("nac")).as("rows converge").containsExactlyElementsOf(topic.expectedOrders());
    assertThat(totals("nac"))
        .as("but the totals committed before the crash are moved again on retry")
        .isNotEqualTo(topic.expectedTotals());
  }

  @Test
  void checkpointIgnoresPartitionSeeksAPartitionPastRecordsItNeverRead() {
    SimulatedTopic topic = new SimulatedTopic(2);
    for (long order = 2; order <= 20; order += 2) {
      topic.send(event(order, 1, "NEW", order)); // partition 0: 10 records
    }
    topic.send(event(1, 1, "NEW", 1)); // partition 1: 1 record
    try (BatchSink s = sink("cip", Variant.CHECKPOINT_IGNORES_PARTITION, CrashPoints.NONE)) {
      topic.drain(s, 100);
    }
    topic.send(event(3, 1, "NEW", 3)).send(event(5, 1, "NEW", 5)); // partition 1, offsets 1 and 2
    try (BatchSink s = sink("cip", Variant.CHECKPOINT_IGNORES_PARTITION, CrashPoints.NONE)) {
      topic.drain(s, 100);
    }
    assertThat(orders("cip"))
        .extracting(OrderRow::orderId)
        .as(
            "after a restart partition 1 resumes at partition 0's offset 10 and skips orders 3 and 5")
        .doesNotContain(3L, 5L)
        .hasSize(11);
  }

  /**
   * Two consumers of one warehouse, neither holding it between batches: the first applies offsets
   * 0-1 and is "paused" with 2-3 polled; the second applies 2-5; then the first wakes up and
   * applies its stale 2-3. Returns the stored checkpoint of partition 0.
   */
  private long staleCommitAfterTheOtherAdvanced(String name, Variant v) {
    SimulatedTopic topic = new SimulatedTopic(1);
    for (long order = 1; order <= 6; order++) {
      topic.send(event(order, 1, "NEW", order));
    }
    List<dev.cdcchaos.pipeline.lake.RawRecord> log = topic.partitions.get(0);
    try (BatchSink zombie = sink(name, v, CrashPoints.NONE)) {
      zombie.process(log.subList(0, 2), next -> {});
      zombie.release();
      try (BatchSink other = sink(name, v, CrashPoints.NONE)) {
        other.process(log.subList(2, 4), next -> {});
        other.process(log.subList(4, 6), next -> {});
        assertThat(other.warehouse().checkpoints(TestEvents.TOPIC)).containsEntry(0, 6L);
      }
      zombie.reacquire();
      zombie.process(log.subList(2, 4), next -> {});
      assertThat(zombie.warehouse().reader().orders())
          .as("the stale batch's events are in the ledger already: the rows are right")
          .containsExactlyElementsOf(topic.expectedOrders());
      return zombie.warehouse().checkpoints(TestEvents.TOPIC).get(0);
    }
  }

  @Test
  void unfencedStaleCheckpointLetsAStaleCommitMoveTheCheckpointBack() {
    assertThat(
            SinkStrategies.forVariant(Variant.UNFENCED_STALE_CHECKPOINT, 1)
                .opensWarehousePerBatch())
        .isTrue();
    assertThat(SinkStrategies.forVariant(Variant.CORRECT, 1).opensWarehousePerBatch()).isFalse();
    assertThat(staleCommitAfterTheOtherAdvanced("usc", Variant.UNFENCED_STALE_CHECKPOINT))
        .as("last writer wins: the stale commit moves the checkpoint back from 6 to 4")
        .isEqualTo(4L);
    assertThat(staleCommitAfterTheOtherAdvanced("usc-correct", Variant.CORRECT))
        .as("the correct upsert keeps the greater checkpoint")
        .isEqualTo(6L);
  }

  @Test
  void aReleasedSinkLetsGoOfTheWarehouseAndTakesItBackWithWhatOthersCommitted() {
    try (BatchSink s = sink("rel", Variant.UNFENCED_STALE_CHECKPOINT, CrashPoints.NONE)) {
      s.release();
      assertThatThrownBy(s::warehouse).isInstanceOf(IllegalStateException.class);
      try (dev.cdcchaos.pipeline.warehouse.Warehouse other =
          dev.cdcchaos.pipeline.warehouse.Warehouse.open(wh("rel"))) {
        other.saveCheckpoints(
            List.of(new dev.cdcchaos.pipeline.warehouse.Checkpoint(TestEvents.TOPIC, 0, 9)));
      }
      s.reacquire();
      assertThat(s.warehouse().checkpoints(TestEvents.TOPIC)).containsEntry(0, 9L);
    }
  }
}
