package dev.cdcchaos.pipeline.consumer;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.warehouse.DeadLetter;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Poison of each kind is dead-lettered and the batch goes on; new payload fields are kept. */
class PoisonAndDriftTest {
  @TempDir Path dir;

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String withField(String field, String json) {
    String good = EventCodec.encodeToString(event(50, 1, "NEW", 1));
    return good.replaceFirst("\"" + field + "\":[^,}]*", "\"" + field + "\":" + json);
  }

  @Test
  void poisonOfEachKindIsDeadLetteredAndLaterEventsApply() {
    SimulatedTopic topic = new SimulatedTopic(1);
    topic.send(event(1, 1, "NEW", 10));
    topic.sendRaw(0, utf8("{\"eventId\":\"broken-1\", not json"));
    topic.sendRaw(0, utf8(withField("orderId", "\"fifty\"")));
    topic.sendRaw(0, utf8(withField("type", "\"ORDER_EXPLODED\"")));
    topic.sendRaw(0, utf8(withField("version", "-3")));
    topic.sendRaw(0, new byte[EventCodec.MAX_BYTES + 1]);
    topic.sendRaw(0, null);
    topic.sendRaw(0, utf8(withField("eventId", "null")));
    topic.send(event(2, 1, "NEW", 20));
    try (BatchSink sink =
        BatchSink.open(
            dir.resolve("wh.duckdb"),
            dir.resolve("lake"),
            SinkStrategies.correct(),
            CrashPoints.NONE,
            Clock.systemUTC())) {
      topic.drain(sink, 100);
      assertThat(sink.lakeRecords()).as("poison is in the lake too").isEqualTo(9);
    }
    try (WarehouseReader r = WarehouseReader.open(dir.resolve("wh.duckdb"))) {
      assertThat(r.orders())
          .as("events before and after the poison apply")
          .containsExactlyElementsOf(topic.expectedOrders());
      List<DeadLetter> dead = r.deadLetters();
      assertThat(dead).extracting(DeadLetter::offset).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
      assertThat(dead)
          .extracting(DeadLetter::reason)
          .as("each dead letter says why")
          .satisfiesExactly(
              x -> assertThat(x).startsWith("not JSON"),
              x -> assertThat(x).contains("'orderId' must be an integer"),
              x -> assertThat(x).contains("unknown event type 'ORDER_EXPLODED'"),
              x -> assertThat(x).contains("version must be >= 1"),
              x -> assertThat(x).startsWith("oversized message"),
              x -> assertThat(x).contains("null value"),
              x -> assertThat(x).contains("missing field 'eventId'"));
      assertThat(dead.get(1).eventId())
          .as("a readable event id is kept with the dead letter")
          .isEqualTo("e-50-1");
      assertThat(dead.get(1).raw()).isEqualTo(topic.partitions.get(0).get(2).value());
      assertThat(dead.get(5).raw()).as("null value stays null").isNull();
    }
  }

  @Test
  void payloadWithNewFieldsIngestsWithExtrasKept() {
    SimulatedTopic topic = new SimulatedTopic(1);
    topic.send(event(1, 1, 1, "NEW", 10, Map.of("loyaltyTier", "gold", "state.giftNote", "hi")));
    try (BatchSink sink =
        BatchSink.open(
            dir.resolve("wh.duckdb"),
            dir.resolve("lake"),
            SinkStrategies.correct(),
            CrashPoints.NONE,
            Clock.systemUTC())) {
      topic.drain(sink, 100);
      assertThat(sink.warehouse().reader().ordersWithExtras().get(0).extrasJson())
          .as("unknown fields land in the extras column")
          .contains("\"loyaltyTier\":\"gold\"")
          .contains("\"state.giftNote\":\"hi\"");
      assertThat(sink.warehouse().reader().deadLetters()).as("drift is not poison").isEmpty();
    }
  }
}
