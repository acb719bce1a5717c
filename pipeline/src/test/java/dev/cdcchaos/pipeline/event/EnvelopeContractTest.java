package dev.cdcchaos.pipeline.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link EventCodec} against the envelope contract: every example of {@code
 * docs/envelope-examples.json} (see {@code docs/envelope.md}), the same file the harness's own
 * reader is tested with, so both sides of the oracle follow one written contract.
 */
class EnvelopeContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXAMPLES = "docs/envelope-examples.json";
  private static final Pattern MISSING = Pattern.compile("missing field '(\\w+)'.*");
  private static final Pattern WRONG = Pattern.compile("field '(\\w+)' must be .*");

  static Stream<Arguments> examples() throws IOException {
    JsonNode root = JSON.readTree(examplesFile().toFile());
    assertThat(root.get("maxBytes").asInt())
        .as("the contract's size limit is the codec's")
        .isEqualTo(EventCodec.MAX_BYTES);
    List<Arguments> out = new ArrayList<>();
    root.get("examples").forEach(e -> out.add(Arguments.of(e.get("name").asText(), e)));
    assertThat(out).as("examples in " + EXAMPLES).hasSizeGreaterThan(50);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleDecodesAsTheContractSays(String name, JsonNode example) throws Exception {
    byte[] value = value(example);
    JsonNode expect = example.get("expect");
    if (expect.get("valid").asBoolean()) {
      OrderEvent e = EventCodec.decode(value);
      JsonNode ev = expect.get("event");
      assertThat(e.eventId()).as("eventId").isEqualTo(ev.get("eventId").asText());
      assertThat(e.idempotencyKey()).isEqualTo(ev.get("idempotencyKey").asText());
      assertThat(e.orderId()).isEqualTo(ev.get("orderId").asLong());
      assertThat(e.type().name()).isEqualTo(ev.get("type").asText());
      assertThat(e.version()).isEqualTo(ev.get("version").asLong());
      assertThat((long) e.schemaVersion()).isEqualTo(ev.get("schemaVersion").asLong());
      assertThat(e.occurredAt()).isEqualTo(Instant.parse(ev.get("occurredAt").asText()));
      JsonNode s = ev.get("state");
      assertThat(e.state())
          .isEqualTo(
              new OrderRow(
                  s.get("orderId").asLong(),
                  s.get("customerId").asLong(),
                  s.get("status").asText(),
                  s.get("totalCents").asLong(),
                  s.get("currency").asText(),
                  s.get("version").asLong(),
                  s.get("deleted").asBoolean()));
      Map<String, Object> extras =
          JSON.convertValue(
              ev.get("extras"), new TypeReference<LinkedHashMap<String, Object>>() {});
      if (example.has("paddedTo")) {
        extras.put("padding", JSON.readTree(value).get("padding").asText());
      }
      assertThat(e.extras()).as("extras, in order").containsExactlyEntriesOf(extras);
    } else {
      String reason = expect.get("reason").asText();
      String field = expect.has("field") ? expect.get("field").asText() : null;
      assertThatThrownBy(() -> EventCodec.decode(value))
          .as("%s must be poison: %s", name, reason)
          .isInstanceOf(PoisonMessageException.class)
          .satisfies(t -> assertReason(t.getMessage(), reason, field));
    }
  }

  /** The contract's reason class (and field) that the codec's dead-letter reason names. */
  private static void assertReason(String message, String reason, String field) {
    String leaf = field == null ? null : field.substring(field.lastIndexOf('.') + 1);
    Matcher missing = MISSING.matcher(message);
    Matcher wrong = WRONG.matcher(message);
    String actual;
    String actualField = null;
    if (message.startsWith("empty message")) {
      actual = "null-value";
    } else if (message.startsWith("oversized message")) {
      actual = "oversized";
    } else if (message.startsWith("not JSON")) {
      actual = "not-json";
    } else if (message.startsWith("not a JSON object")) {
      actual = "not-an-object";
    } else if (message.startsWith("missing or non-object field 'state'")) {
      // the codec says one thing for both: absent or null, and not an object
      actual = reason.equals("missing-field") || reason.equals("wrong-type") ? reason : "?";
      actualField = "state";
    } else if (missing.matches()) {
      actual = "missing-field";
      actualField = missing.group(1);
    } else if (wrong.matches()) {
      actual = "wrong-type";
      actualField = wrong.group(1);
    } else if (message.startsWith("unknown event type")) {
      actual = "unknown-type";
    } else if (message.startsWith("version must be >= 1")) {
      actual = "bad-version";
    } else if (message.startsWith("occurredAt is not an ISO-8601 instant")) {
      actual = "bad-occurred-at";
    } else if (message.matches("state\\.(orderId|version) -?\\d+ differs from .*")
        || message.startsWith("state.deleted must be true exactly for ORDER_DELETED")) {
      actual = "inconsistent-state";
    } else {
      actual = "unclassified";
    }
    assertThat(actual).as("reason class of '%s'", message).isEqualTo(reason);
    if (leaf != null) {
      assertThat(actualField).as("field named by '%s'", message).isEqualTo(leaf);
    }
  }

  /** The example's record value, built as docs/envelope.md says. */
  static byte[] value(JsonNode example) throws IOException {
    if (example.path("nullValue").asBoolean(false)) {
      return null;
    }
    boolean json = example.has("json");
    byte[] base =
        json
            ? JSON.writeValueAsBytes(example.get("json"))
            : example.get("text").asText().getBytes(StandardCharsets.UTF_8);
    if (!example.has("paddedTo")) {
      return base;
    }
    int size = example.get("paddedTo").asInt();
    byte[] padded;
    if (json) {
      ObjectNode o = example.get("json").deepCopy();
      o.put("padding", "");
      int without = JSON.writeValueAsBytes(o).length;
      o.put("padding", "x".repeat(size - without));
      padded = JSON.writeValueAsBytes(o);
    } else {
      padded =
          (example.get("text").asText() + "x".repeat(size - base.length))
              .getBytes(StandardCharsets.UTF_8);
    }
    assertThat(padded).as("padded value").hasSize(size);
    return padded;
  }

  /** The examples file, found from the working directory up (tests run in the module folder). */
  static Path examplesFile() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null) {
      Path candidate = dir.resolve(EXAMPLES);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
      dir = dir.getParent();
    }
    throw new IllegalStateException(
        "no " + EXAMPLES + " in " + Path.of("").toAbsolutePath() + " or any parent folder");
  }
}
