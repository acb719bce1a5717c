package dev.cdcchaos.harness.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.workload.Poison;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.Workload;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The harness's reader on what the harness itself makes: the workload's poison and schema drift.
 * The pipeline's codec appears here only as a producer of bytes (the publisher sends what it
 * encodes); the reader is never compared with its decoder.
 */
class EnvelopeReaderTest {

  @ParameterizedTest
  @EnumSource(PoisonKind.class)
  void everyPoisonKindTheWorkloadMakesIsRejected(PoisonKind kind) {
    for (int seed = 0; seed < 20; seed++) {
      byte[] value = Poison.bytes(kind, new Random(seed));
      assertThat(EnvelopeReader.read(value))
          .as("%s poison (seed %d) must not be an event", kind, seed)
          .isInstanceOf(EnvelopeReader.Rejected.class);
    }
  }

  /** Replay a failing seed by putting it in the loop bound. */
  @Test
  void eventsWithSchemaDriftAsThePublisherSendsThemAreReadWithTheirExtras() {
    for (int seed = 0; seed < 200; seed++) {
      Random random = new Random(seed);
      long order = 1 + random.nextInt(1_000_000);
      long version = 1 + random.nextInt(9);
      EventType type = EventType.values()[random.nextInt(EventType.values().length)];
      OrderRow row =
          new OrderRow(
              order,
              random.nextInt(100),
              type == EventType.ORDER_CANCELLED ? "CANCELLED" : "PAID",
              random.nextInt(100_000),
              "EUR",
              version,
              type == EventType.ORDER_DELETED);
      Map<String, Object> drift = Workload.driftFields(random);
      OrderEvent sent =
          new OrderEvent(
              new UUID(random.nextLong(), random.nextLong()).toString(),
              order + ":" + version,
              order,
              type,
              version,
              1,
              Instant.ofEpochSecond(
                  1_780_000_000L + random.nextInt(1_000_000), random.nextInt(1000) * 1000L),
              row,
              drift);
      Event read = EnvelopeReader.read(EventCodec.encode(sent)).eventOrNull();
      assertThat(read).as("seed %d: a drifted event is still an event", seed).isNotNull();
      assertThat(read)
          .as("seed %d", seed)
          .isEqualTo(
              new Event(
                  sent.eventId(),
                  sent.idempotencyKey(),
                  order,
                  type.name(),
                  version,
                  1,
                  sent.occurredAt(),
                  new OrderState(
                      order,
                      row.customerId(),
                      row.status(),
                      row.totalCents(),
                      "EUR",
                      version,
                      row.deleted()),
                  drift));
    }
  }

  @Test
  void aRejectionNamesTheFieldAndWhatIsWrong() {
    EnvelopeReader.Decoded d =
        EnvelopeReader.read(
            ("{\"eventId\":\"e\",\"idempotencyKey\":\"k\",\"orderId\":1,\"type\":\"ORDER_CREATED\","
                    + "\"version\":1,\"schemaVersion\":1,\"occurredAt\":\"2026-11-24T08:00:00Z\","
                    + "\"state\":{\"orderId\":1,\"customerId\":\"7\"}}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(d)
        .isEqualTo(
            new EnvelopeReader.Rejected(
                EnvelopeReader.Reason.WRONG_TYPE,
                "state.customerId",
                "field 'state.customerId' must be an integer that fits a long, was STRING"));
  }

  @Test
  void reasonCodesRoundTrip() {
    for (EnvelopeReader.Reason r : EnvelopeReader.Reason.values()) {
      assertThat(EnvelopeReader.Reason.byCode(r.code())).contains(r);
    }
    assertThat(EnvelopeReader.Reason.MISSING_FIELD.code()).isEqualTo("missing-field");
  }
}
