package dev.cdcchaos.pipeline.consumer;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.LakeRecord;
import dev.cdcchaos.pipeline.warehouse.CustomerTotal;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A consumer killed at each crash point and restarted converges, with an exact lake. */
class SinkRecoveryTest {
  @TempDir Path dir;

  /** 40 orders, 1-4 versions each in random order across batches, copies and poison mixed in. */
  static SimulatedTopic workload(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    SimulatedTopic topic = new SimulatedTopic(3);
    for (long order = 1; order <= 40; order++) {
      int versions = 1 + rnd.nextInt(4);
      for (long v = 1; v <= versions; v++) {
        topic.send(
            event(
                order,
                v,
                v == versions && rnd.nextInt(3) == 0 ? "CANCELLED" : "PAID",
                100 * order + v));
        if (rnd.nextInt(8) == 0) {
          topic.send(event(order, v, "PAID", 100 * order + v)); // a redelivered copy
        }
      }
      if (order % 13 == 0) {
        topic.sendRaw(
            (int) (order % 3),
            "{\"eventId\":\"bad-".concat(order + "\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
    topic.send(event(2, 9, "PAID", 1)).send(event(2, 8, "PAID", 2)); // update arrives before older
    return topic;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        CrashPoints.CONSUMER_AFTER_LAKE,
        CrashPoints.CONSUMER_MID_BATCH,
        CrashPoints.CONSUMER_AFTER_WAREHOUSE,
        CrashPoints.CONSUMER_BEFORE_OFFSET_COMMIT
      })
  void crashAtEachPointThenRestartConverges(String point) {
    SimulatedTopic topic = workload(7);
    Path wh = dir.resolve("wh.duckdb");
    Path lake = dir.resolve("lake");
    try (BatchSink sink =
        BatchSink.open(
            wh, lake, SinkStrategies.correct(), new Crash(point, 3), Clock.systemUTC())) {
      assertThatThrownBy(() -> topic.drain(sink, 5)).isInstanceOf(Crash.Simulated.class);
    }
    try (BatchSink sink =
        BatchSink.open(wh, lake, SinkStrategies.correct(), CrashPoints.NONE, Clock.systemUTC())) {
      topic.drain(sink, 7); // other batch boundaries than before the crash
      assertThat(sink.lakeRecords()).as("status count of lake records").isEqualTo(topic.size());
    }
    assertConverged(topic, wh, lake);
  }

  static void assertConverged(SimulatedTopic topic, Path wh, Path lake) {
    try (WarehouseReader r = WarehouseReader.open(wh)) {
      assertThat(r.orders())
          .as("wh_orders equals the fold of all events (highest version wins)")
          .containsExactlyElementsOf(topic.expectedOrders());
      assertThat(r.customerTotals())
          .as("customer totals equal totals recomputed from the folded orders")
          .containsExactlyElementsOf(topic.expectedTotals());
      assertThat(r.totals().applied())
          .as("every distinct event is in the ledger once")
          .isEqualTo(topic.distinctEvents());
      assertThat(r.deadLetters()).as("the three poison messages are dead-lettered").hasSize(3);
      assertThat(r.checkpoints())
          .as("checkpoints are past the end of every partition")
          .allMatch(c -> c.nextOffset() == topic.partitions.get(c.partition()).size());
    }
    Map<String, Long> perRecord =
        LakeReader.readAll(lake).stream()
            .map(LakeRecord::raw)
            .collect(
                Collectors.groupingBy(
                    x -> x.partition() + "@" + x.offset(), Collectors.counting()));
    assertThat(perRecord).as("lake holds every Kafka record").hasSize((int) topic.size());
    assertThat(perRecord.values())
        .as("each Kafka record exactly once in the lake")
        .containsOnly(1L);
  }

  static List<CustomerTotal> totals(Path wh) {
    try (WarehouseReader r = WarehouseReader.open(wh)) {
      return r.customerTotals();
    }
  }

  static String topicName() {
    return TestEvents.TOPIC;
  }
}
