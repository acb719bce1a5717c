package dev.cdcchaos.pipeline.warehouse;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.TOPIC;
import static dev.cdcchaos.pipeline.warehouse.TestEvents.batch;
import static dev.cdcchaos.pipeline.warehouse.TestEvents.deleted;
import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseTest {
  @TempDir Path dir;

  private Warehouse open() {
    return Warehouse.open(dir.resolve("wh.duckdb"));
  }

  @Test
  void updateBeforeCreateConverges() {
    try (Warehouse wh = open()) {
      wh.applyBatch(batch(0, event(1, 2, "PAID", 500)));
      wh.applyBatch(batch(1, event(1, 1, "NEW", 500)));
      assertThat(wh.reader().orders())
          .as("the late create (v1) must not overwrite the update (v2)")
          .containsExactly(new OrderRow(1, 1, "PAID", 500, "EUR", 2, false));
      assertThat(wh.reader().customerTotals())
          .as("the order counts once for its customer")
          .containsExactly(new CustomerTotal(1, 1, 500));
      assertThat(wh.totals().applied()).as("both events are in the ledger").isEqualTo(2);
    }
  }

  @Test
  void sameEventTwiceLeavesOneRowCountsDuplicateAndDoesNotDoubleTotals() {
    try (Warehouse wh = open()) {
      wh.applyBatch(batch(0, event(7, 1, "NEW", 1000)));
      BatchResult again = wh.applyBatch(batch(1, event(7, 1, "NEW", 1000)));
      BatchResult inBatch = wh.applyBatch(batch(2, event(8, 1, "NEW", 10), event(8, 1, "NEW", 10)));

      assertThat(again.duplicates()).as("redelivered event is a duplicate").isEqualTo(1);
      assertThat(inBatch.duplicates()).as("a copy inside one batch is a duplicate").isEqualTo(1);
      assertThat(wh.reader().orders()).as("one row per order").hasSize(2);
      assertThat(wh.reader().customerTotals())
          .as("duplicates must not move the customer totals")
          .containsExactly(new CustomerTotal(7, 1, 1000), new CustomerTotal(8, 1, 10));
      assertThat(wh.totals())
          .as("ledger holds each event once and counts the two copies")
          .isEqualTo(new WarehouseTotals(2, 2, 0, 2));
      assertThat(wh.reader().ledger())
          .extracting(LedgerEntry::eventId, LedgerEntry::duplicates, LedgerEntry::offset)
          .as("duplicates are counted on the ledger row of the first copy")
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("e-7-1", 1L, 0L),
              org.assertj.core.groups.Tuple.tuple("e-8-1", 1L, 2L));
    }
  }

  @Test
  void batchHoldingOneOrderThreeTimesFoldsToHighestVersion() {
    try (Warehouse wh = open()) {
      BatchResult r =
          wh.applyBatch(
              batch(
                  0,
                  event(3, 2, "PAID", 300),
                  event(3, 3, "SHIPPED", 300),
                  event(3, 1, "NEW", 250)));
      assertThat(r.changedOrders()).as("three events of one order fold to one upsert").isEqualTo(1);
      assertThat(wh.reader().orders())
          .as("highest version wins, whatever the order in the batch")
          .containsExactly(new OrderRow(3, 3, "SHIPPED", 300, "EUR", 3, false));
      assertThat(wh.reader().customerTotals()).containsExactly(new CustomerTotal(3, 1, 300));
    }
  }

  @Test
  void totalsFollowCancelDeleteAndCustomerChange() {
    try (Warehouse wh = open()) {
      wh.applyBatch(
          batch(
              0,
              event(1, 1, 5, "NEW", 100, Map.of()),
              event(2, 1, 5, "NEW", 200, Map.of()),
              event(3, 1, 6, "NEW", 400, Map.of())));
      wh.applyBatch(batch(3, event(1, 2, 5, "CANCELLED", 100, Map.of())));
      wh.applyBatch(batch(4, event(3, 2, 7, "PAID", 450, Map.of())));
      assertThat(wh.reader().customerTotals())
          .as("cancelled order stays counted without revenue; moved order leaves customer 6")
          .containsExactly(new CustomerTotal(5, 2, 200), new CustomerTotal(7, 1, 450));

      wh.applyBatch(batch(5, new dev.cdcchaos.pipeline.event.OrderEvent[] {deleted(2, 2, 200)}));
      wh.applyBatch(batch(6, event(2, 1, 5, "NEW", 200, Map.of())));
      assertThat(wh.reader().orders())
          .as("the tombstone stays and a late create cannot resurrect the order")
          .contains(new OrderRow(2, 2, "DELETED", 200, "EUR", 2, true));
      assertThat(wh.reader().customerTotals())
          .as("deleted order leaves the totals")
          .containsExactly(new CustomerTotal(5, 1, 0), new CustomerTotal(7, 1, 450));
    }
  }

  @Test
  void deadLettersAndCheckpointsAreWrittenWithTheBatch() {
    Instant at = Instant.parse("2026-11-24T10:00:05Z");
    try (Warehouse wh = open()) {
      byte[] raw = "{not json".getBytes(StandardCharsets.UTF_8);
      WarehouseBatch b =
          new WarehouseBatch(
              batch(0, event(1, 1, "NEW", 1)).events(),
              List.of(new DeadLetter(TOPIC, 0, 1, null, "not JSON", raw, at)),
              List.of(new Checkpoint(TOPIC, 0, 2), new Checkpoint(TOPIC, 1, 40)));
      wh.applyBatch(b);
      wh.applyBatch(b);
      assertThat(wh.reader().deadLetters())
          .as("a dead letter is kept once per Kafka record, with reason and raw bytes")
          .containsExactly(new DeadLetter(TOPIC, 0, 1, null, "not JSON", raw, at));
      assertThat(wh.checkpoints(TOPIC))
          .as("checkpoint per partition = last offset + 1")
          .isEqualTo(Map.of(0, 2L, 1, 40L));
      wh.applyBatch(
          new WarehouseBatch(List.of(), List.of(), List.of(new Checkpoint(TOPIC, 1, 10))));
      assertThat(wh.checkpoints(TOPIC).get(1)).as("a checkpoint never moves back").isEqualTo(40L);
    }
  }

  @Test
  void extrasAreKeptAndAppliedAtUsesTheClock() {
    Clock clock = Clock.fixed(Instant.parse("2026-11-24T11:00:00Z"), ZoneOffset.UTC);
    try (Warehouse wh =
        Warehouse.open(dir.resolve("x.duckdb"), ApplyRules.CORRECT, CrashPoints.NONE, clock)) {
      wh.applyBatch(
          batch(0, event(4, 1, 4, "NEW", 9, Map.of("giftWrap", true, "state.note", "x"))));
      WarehouseOrder o = wh.reader().ordersWithExtras().get(0);
      assertThat(o.extrasJson())
          .as("unknown fields land in extras")
          .contains("\"giftWrap\":true")
          .contains("\"state.note\":\"x\"");
      assertThat(o.updatedAt()).isEqualTo(TestEvents.T0.plusMillis(1));
      assertThat(wh.reader().ledger().get(0).appliedAt()).isEqualTo(clock.instant());
    }
  }

  @Test
  void crashMidBatchLeavesNothingAndRetryApplies() throws Exception {
    Path file = dir.resolve("crash.duckdb");
    CrashPoints failing =
        point -> {
          if (point.equals(CrashPoints.CONSUMER_MID_BATCH)) {
            throw new IllegalStateException("simulated crash at " + point);
          }
        };
    try (Warehouse wh = Warehouse.open(file, ApplyRules.CORRECT, failing, Clock.systemUTC())) {
      assertThatThrownBy(() -> wh.applyBatch(batch(0, event(1, 1, "NEW", 10))))
          .hasMessageContaining("simulated crash");
      assertThat(wh.reader().orders()).as("the failed batch left no row").isEmpty();
      assertThat(wh.reader().customerTotals()).as("nor moved totals").isEmpty();
      assertThat(wh.checkpoints(TOPIC)).as("nor a checkpoint").isEmpty();
    }
    try (Warehouse wh = Warehouse.open(file)) {
      wh.applyBatch(batch(0, event(1, 1, "NEW", 10)));
      assertThat(wh.reader().customerTotals()).containsExactly(new CustomerTotal(1, 1, 10));
    }
  }

  @Test
  void readerOpensTheFileReadOnlyAfterClose() {
    Path file = dir.resolve("r.duckdb");
    try (Warehouse wh = Warehouse.open(file)) {
      wh.applyBatch(batch(0, event(1, 1, "NEW", 10)));
    }
    try (WarehouseReader r = WarehouseReader.open(file)) {
      assertThat(r.orders()).hasSize(1);
      assertThat(r.checkpoints()).containsExactly(new Checkpoint(TOPIC, 0, 1));
    }
    assertThatThrownBy(() -> WarehouseReader.open(dir.resolve("missing.duckdb")))
        .hasMessageContaining("no warehouse file");
  }
}
