package dev.cdcchaos.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EventCodecTest {

  private static final String STATE =
      "{\"orderId\":7,\"customerId\":3,\"status\":\"NEW\",\"totalCents\":1250,"
          + "\"currency\":\"EUR\",\"version\":1,\"deleted\":false}";

  private static String envelope(String state) {
    return "{\"eventId\":\"e-1\",\"idempotencyKey\":\"k-1\",\"orderId\":7,\"type\":\"ORDER_CREATED\","
        + "\"version\":1,\"schemaVersion\":1,\"occurredAt\":\"2026-11-24T08:00:00.123456Z\","
        + "\"state\":"
        + state
        + "}";
  }

  private static final String VALID = envelope(STATE);

  private static OrderEvent decode(String json) throws PoisonMessageException {
    return EventCodec.decode(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void encodeThenDecodeGivesTheSameEventWithExtrasInsideAndOutsideState() throws Exception {
    Map<String, Object> extras = new LinkedHashMap<>();
    extras.put("channel", "web");
    extras.put("state.giftWrap", true);
    extras.put("nested", Map.of("a", List.of(1, 2)));
    OrderEvent event =
        new OrderEvent(
            "e-9",
            "k-9",
            9,
            EventType.ORDER_UPDATED,
            4,
            1,
            Instant.parse("2026-11-24T08:00:00.000001Z"),
            new OrderRow(9, 2, "PAID", 999, "USD", 4, false),
            extras);
    OrderEvent back = EventCodec.decode(EventCodec.encode(event));
    assertThat(back).as("a round trip keeps every field and every unknown field").isEqualTo(event);
  }

  @Test
  void unknownFieldsInAnyOrderAndOfAnyShapeAreKeptAsExtras() throws Exception {
    String json =
        "{\"zeta\":null,\"state\":{\"orderId\":7,\"customerId\":3,\"status\":\"NEW\","
            + "\"totalCents\":1250,\"currency\":\"EUR\",\"version\":1,\"deleted\":false,"
            + "\"color\":\"red\",\"dims\":[1,2.5]},\"eventId\":\"e-1\",\"idempotencyKey\":\"k-1\","
            + "\"orderId\":7,\"type\":\"ORDER_CREATED\",\"version\":1,\"schemaVersion\":1,"
            + "\"occurredAt\":\"2026-11-24T08:00:00Z\",\"big\":123456789012,\"obj\":{\"x\":{}}}";
    OrderEvent e = decode(json);
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("zeta", null);
    expected.put("big", 123456789012L);
    expected.put("obj", Map.of("x", Map.of()));
    expected.put("state.color", "red");
    expected.put("state.dims", List.of(1, 2.5));
    assertThat(e.extras())
        .as("top-level unknowns first, then state's, a JSON null kept as null")
        .containsExactlyEntriesOf(expected);
    assertThat(e.state()).isEqualTo(new OrderRow(7, 3, "NEW", 1250, "EUR", 1, false));
  }

  @Test
  void aDuplicatedFieldTakesItsLastValue() throws Exception {
    String json = VALID.replace("\"orderId\":7,\"type\"", "\"orderId\":8,\"orderId\":7,\"type\"");
    assertThat(decode(json).orderId()).isEqualTo(7);
  }

  static Stream<Arguments> poison() {
    return Stream.of(
        Arguments.of("", "not a JSON object"),
        Arguments.of("[1,2]", "not a JSON object"),
        Arguments.of("\"text\"", "not a JSON object"),
        Arguments.of("42", "not a JSON object"),
        Arguments.of("{\"eventId\": ", "not JSON"),
        Arguments.of("[1,", "not JSON"),
        Arguments.of("tru", "not JSON"),
        Arguments.of(VALID.substring(0, VALID.length() - 3), "not JSON"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\"", "\"eventId\":5").replace("}}", "},}"), "not JSON"),
        Arguments.of(VALID.replace("\"eventId\":\"e-1\",", ""), "missing field 'eventId'"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\"", "\"eventId\":null"), "missing field 'eventId'"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\"", "\"eventId\":5"),
            "field 'eventId' must be a non-empty string, was NUMBER"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\"", "\"eventId\":\" \""),
            "field 'eventId' must be a non-empty string, was STRING"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\"", "\"eventId\":{\"a\":1}"),
            "field 'eventId' must be a non-empty string, was OBJECT"),
        Arguments.of(
            VALID.replace("\"idempotencyKey\":\"k-1\"", "\"idempotencyKey\":[]"),
            "field 'idempotencyKey' must be a non-empty string, was ARRAY"),
        Arguments.of(
            VALID.replace("\"orderId\":7,\"type\"", "\"orderId\":\"7\",\"type\""),
            "field 'orderId' must be an integer, was STRING"),
        Arguments.of(
            VALID.replace("\"orderId\":7,\"type\"", "\"orderId\":7.5,\"type\""),
            "field 'orderId' must be an integer, was NUMBER"),
        Arguments.of(
            VALID.replace("\"orderId\":7,\"type\"", "\"orderId\":99999999999999999999,\"type\""),
            "field 'orderId' must be an integer, was NUMBER"),
        Arguments.of(
            VALID.replace("\"orderId\":7,\"type\"", "\"orderId\":true,\"type\""),
            "field 'orderId' must be an integer, was BOOLEAN"),
        Arguments.of(
            VALID.replace("ORDER_CREATED", "ORDER_EXPLODED"),
            "unknown event type 'ORDER_EXPLODED'"),
        Arguments.of(
            VALID.replace("\"version\":1,\"schemaVersion\"", "\"version\":-3,\"schemaVersion\""),
            "version must be >= 1, was -3"),
        Arguments.of(
            VALID.replace("\"schemaVersion\":1", "\"schemaVersion\":\"1\""),
            "field 'schemaVersion' must be an integer, was STRING"),
        Arguments.of(
            VALID.replace("2026-11-24T08:00:00.123456Z", "yesterday"),
            "occurredAt is not an ISO-8601 instant"),
        Arguments.of(envelope("null"), "missing or non-object field 'state'"),
        Arguments.of(envelope("[1]"), "missing or non-object field 'state'"),
        Arguments.of(
            VALID.replace(",\"state\":" + STATE, ""), "missing or non-object field 'state'"),
        Arguments.of(
            envelope(STATE.replace("\"customerId\":3,", "")), "missing field 'customerId'"),
        Arguments.of(
            envelope(STATE.replace("\"deleted\":false", "\"deleted\":\"no\"")),
            "field 'deleted' must be a boolean"),
        Arguments.of(
            envelope(STATE.replace("\"orderId\":7", "\"orderId\":8")),
            "state.orderId 8 differs from orderId 7"),
        Arguments.of(
            envelope(STATE.replace("\"version\":1", "\"version\":2")),
            "state.version 2 differs from version 1"),
        Arguments.of(
            envelope(STATE.replace("\"deleted\":false", "\"deleted\":true")),
            "state.deleted must be true exactly for ORDER_DELETED"),
        Arguments.of(
            VALID.replace("\"eventId\":\"e-1\",", "").replace("ORDER_CREATED", "NOPE"),
            "missing field 'eventId'"));
  }

  @ParameterizedTest(name = "{1}: {0}")
  @MethodSource("poison")
  void poisonGetsTheReasonThatNamesWhatIsWrong(String json, String reason) {
    assertThatThrownBy(() -> decode(json))
        .as("dead-letter reason of %s", json)
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageStartingWith(reason);
  }

  @Test
  void nullAndOversizedValuesArePoison() {
    assertThatThrownBy(() -> EventCodec.decode(null))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageStartingWith("empty message");
    byte[] big = new byte[EventCodec.MAX_BYTES + 1];
    Arrays.fill(big, (byte) ' ');
    assertThatThrownBy(() -> EventCodec.decode(big))
        .isInstanceOf(PoisonMessageException.class)
        .hasMessageStartingWith("oversized message");
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2026-11-24T08:00:00Z",
        "2026-11-24T08:00:00.1Z",
        "2026-11-24T08:00:00.123456Z",
        "2026-11-24T08:00:00.123456789Z",
        "1970-01-01T00:00:00Z",
        "2024-02-29T23:59:59.999Z",
        "0001-01-01T00:00:00Z",
        "+12026-11-24T08:00:00Z",
        "2026-11-24T08:00:00+01:00",
        "2026-11-24T24:00:00Z",
        "2026-11-24T08:00:00.Z"
      })
  void theFastInstantParserAgreesWithInstantParse(String text) {
    assertThat(EventCodec.parseInstant(text)).isEqualTo(Instant.parse(text));
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {
        "2026-02-30T08:00:00Z",
        "2026-13-01T08:00:00Z",
        "2026-11-24T08:60:00Z",
        "2026-11-24T08:00:00.1234567890Z",
        "2026-11-24 08:00:00Z",
        "2026-1a-24T08:00:00Z",
        "yesterday"
      })
  void whatInstantParseRejectsTheFastParserRejectsToo(String text) {
    assertThatThrownBy(() -> Instant.parse(text))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
    assertThatThrownBy(() -> EventCodec.parseInstant(text))
        .isInstanceOf(java.time.format.DateTimeParseException.class);
  }
}
