package dev.cdcchaos.pipeline.consumer;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.lake.LakeReader;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import dev.cdcchaos.pipeline.warehouse.Warehouse;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A topic deleted and created again restarts its offsets at 0: the consumer records each
 * incarnation under a name of its own, so the new records are neither taken for old ones below the
 * checkpoint nor written over the old lake files.
 */
class TopicIncarnationsTest {

  @TempDir Path dir;

  @Test
  void theFirstIncarnationKeepsTheTopicsNameAndLaterOnesAddTheirId() {
    Path file = dir.resolve("wh.duckdb");
    try (Warehouse wh = Warehouse.open(file)) {
      assertThat(TopicIncarnations.recordedAs(wh, "cdc.orders", "A"))
          .as("the first incarnation met: a warehouse from before incarnations stays as it was")
          .isEqualTo("cdc.orders");
      assertThat(TopicIncarnations.recordedAs(wh, "cdc.orders", "B")).isEqualTo("cdc.orders~B");
      assertThat(TopicIncarnations.recordedAs(wh, "cdc.orders", "A")).isEqualTo("cdc.orders");
    }
    try (Warehouse wh = Warehouse.open(file)) {
      assertThat(wh.incarnations("cdc.orders"))
          .as("incarnations survive a restart, in the order they were met")
          .containsExactly(Map.entry("A", "cdc.orders"), Map.entry("B", "cdc.orders~B"));
      assertThat(TopicIncarnations.recordedAs(wh, "cdc.orders", "B")).isEqualTo("cdc.orders~B");
    }
  }

  @Test
  void aRecreatedTopicsRecordsGetCheckpointsAndLakeFilesOfTheirOwn() {
    Path wh = dir.resolve("wh.duckdb");
    Path lake = dir.resolve("lake");
    String later = "cdc.orders~B";
    try (BatchSink sink =
        BatchSink.open(wh, lake, SinkStrategies.correct(), CrashPoints.NONE, Clock.systemUTC())) {
      sink.resume(TestEvents.TOPIC, List.of(0));
      sink.process(records(TestEvents.TOPIC, 1, 2, 3), next -> {});
      Map<Integer, OptionalLong> resume = sink.resume(later, List.of(0));
      assertThat(resume.get(0))
          .as("the new incarnation starts from its beginning, not at the old checkpoint 3")
          .isEmpty();
      sink.process(records(later, 4, 5), next -> {});
      assertThat(sink.lakeRecords())
          .as("offsets 0 and 1 of the new topic did not overwrite the old topic's file")
          .isEqualTo(5);
    }
    assertThat(LakeReader.count(lake)).isEqualTo(5);
    try (WarehouseReader r = WarehouseReader.open(wh)) {
      assertThat(r.orders()).as("orders of both incarnations applied").hasSize(5);
      assertThat(r.checkpoints())
          .extracting(c -> c.topic() + "-" + c.partition() + "@" + c.nextOffset())
          .containsExactlyInAnyOrder("cdc.orders-0@3", "cdc.orders~B-0@2");
    }
  }

  /** One record per order on partition 0 from offset 0, each order's first version. */
  private static List<RawRecord> records(String topic, long... orders) {
    java.util.List<RawRecord> out = new java.util.ArrayList<>();
    long offset = 0;
    for (long order : orders) {
      out.add(
          new RawRecord(
              topic,
              0,
              offset,
              TestEvents.T0.toEpochMilli() + offset,
              ("k" + order).getBytes(java.nio.charset.StandardCharsets.UTF_8),
              dev.cdcchaos.pipeline.event.EventCodec.encode(event(order, 1, "NEW", 100 * order)),
              Map.of()));
      offset++;
    }
    return out;
  }
}
