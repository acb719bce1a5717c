package dev.cdcchaos.pipeline.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.consumer.BatchSink;
import dev.cdcchaos.pipeline.consumer.SinkStrategies;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.DeadLetter;
import dev.cdcchaos.pipeline.warehouse.LedgerEntry;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayTest {
  @TempDir Path dir;

  @Test
  void replayFromLakeEqualsTheLiveWarehouse() {
    SplittableRandom rnd = new SplittableRandom(3);
    List<RawRecord> log = new ArrayList<>();
    long[] versions = new long[30];
    for (int i = 0; i < 400; i++) {
      int order = rnd.nextInt(30);
      byte[] value;
      if (i % 97 == 5) {
        value = "garbage".getBytes(StandardCharsets.UTF_8);
      } else if (i > 10 && rnd.nextInt(10) == 0) {
        value = log.get(rnd.nextInt(log.size())).value(); // a duplicate publish
      } else {
        long v = ++versions[order];
        value =
            EventCodec.encode(
                TestEvents.event(
                    order, v, rnd.nextInt(5) == 0 ? "CANCELLED" : "PAID", rnd.nextInt(1000)));
      }
      log.add(
          new RawRecord(
              TestEvents.TOPIC, order % 3, i, TestEvents.T0.toEpochMilli(), null, value, Map.of()));
    }
    Path live = dir.resolve("live.duckdb");
    Path lake = dir.resolve("lake");
    try (BatchSink sink =
        BatchSink.open(live, lake, SinkStrategies.correct(), CrashPoints.NONE, Clock.systemUTC())) {
      for (int from = 0; from < log.size(); from += 37) {
        List<RawRecord> batch = log.subList(from, Math.min(log.size(), from + 37));
        sink.process(batch, next -> {});
      }
    }
    Replay.Result result = Replay.fromLake(lake, dir.resolve("replayed.duckdb"));
    assertThat(result.records()).as("replay reads every lake record").isEqualTo(400);
    try (WarehouseReader a = WarehouseReader.open(live);
        WarehouseReader b = WarehouseReader.open(dir.resolve("replayed.duckdb"))) {
      assertThat(b.orders()).as("same orders").isEqualTo(a.orders()).isNotEmpty();
      assertThat(b.ordersWithExtras())
          .as("same extras and updated_at")
          .isEqualTo(a.ordersWithExtras());
      assertThat(b.customerTotals()).as("same totals").isEqualTo(a.customerTotals());
      assertThat(b.checkpoints()).as("same checkpoints").isEqualTo(a.checkpoints());
      assertThat(b.totals())
          .as("same applied, duplicate and dead-letter counts")
          .isEqualTo(a.totals());
      assertThat(b.ledger().stream().map(LedgerEntry::eventId).toList())
          .isEqualTo(a.ledger().stream().map(LedgerEntry::eventId).toList());
      assertThat(b.deadLetters().stream().map(DeadLetter::offset).toList())
          .as("poison dead-lettered again")
          .isEqualTo(a.deadLetters().stream().map(DeadLetter::offset).toList())
          .isNotEmpty();
    }
  }

  @Test
  void replayRefusesAnExistingWarehouse() {
    Path existing = dir.resolve("x.duckdb");
    try (var wh = dev.cdcchaos.pipeline.warehouse.Warehouse.open(existing)) {
      wh.totals();
    }
    assertThatThrownBy(() -> Replay.fromLake(dir.resolve("lake"), existing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("fresh warehouse");
  }
}
