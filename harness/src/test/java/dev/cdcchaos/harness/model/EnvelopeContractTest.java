package dev.cdcchaos.harness.model;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The harness's {@link EnvelopeReader} against the envelope contract: every example of {@code
 * docs/envelope-examples.json} (see {@code docs/envelope.md}), the same file the pipeline's codec
 * is tested with, so the oracle and the code under test follow one written contract without sharing
 * code.
 */
class EnvelopeContractTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String EXAMPLES = "docs/envelope-examples.json";

  static Stream<Arguments> examples() throws IOException {
    JsonNode root = JSON.readTree(examplesFile().toFile());
    assertThat(root.get("maxBytes").asInt())
        .as("the contract's size limit is the reader's")
        .isEqualTo(EnvelopeReader.MAX_BYTES);
    List<Arguments> out = new ArrayList<>();
    root.get("examples").forEach(e -> out.add(Arguments.of(e.get("name").asText(), e)));
    assertThat(out).as("examples in " + EXAMPLES).hasSizeGreaterThan(50);
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleReadsAsTheContractSays(String name, JsonNode example) throws Exception {
    byte[] value = value(example);
    JsonNode expect = example.get("expect");
    EnvelopeReader.Decoded decoded = EnvelopeReader.read(value);
    if (expect.get("valid").asBoolean()) {
      assertThat(decoded)
          .as("%s must be a valid event", name)
          .isInstanceOf(EnvelopeReader.Accepted.class);
      Event e = decoded.eventOrNull();
      JsonNode ev = expect.get("event");
      JsonNode s = ev.get("state");
      Map<String, Object> extras =
          JSON.convertValue(
              ev.get("extras"), new TypeReference<LinkedHashMap<String, Object>>() {});
      if (example.has("paddedTo")) {
        extras.put("padding", JSON.readTree(value).get("padding").asText());
      }
      Event expected =
          new Event(
              ev.get("eventId").asText(),
              ev.get("idempotencyKey").asText(),
              ev.get("orderId").asLong(),
              ev.get("type").asText(),
              ev.get("version").asLong(),
              ev.get("schemaVersion").asLong(),
              Instant.parse(ev.get("occurredAt").asText()),
              new OrderState(
                  s.get("orderId").asLong(),
                  s.get("customerId").asLong(),
                  s.get("status").asText(),
                  s.get("totalCents").asLong(),
                  s.get("currency").asText(),
                  s.get("version").asLong(),
                  s.get("deleted").asBoolean()),
              extras);
      assertThat(e).isEqualTo(expected);
      assertThat(e.extras()).as("extras, in order").containsExactlyEntriesOf(extras);
    } else {
      assertThat(decoded)
          .as("%s must be rejected", name)
          .isInstanceOf(EnvelopeReader.Rejected.class);
      EnvelopeReader.Rejected r = (EnvelopeReader.Rejected) decoded;
      assertThat(r.reason().code())
          .as("reason of %s (%s)", name, r.detail())
          .isEqualTo(expect.get("reason").asText());
      if (expect.has("field")) {
        assertThat(r.field())
            .as("field of %s (%s)", name, r.detail())
            .isEqualTo(expect.get("field").asText());
      }
      assertThat(r.detail()).as("a reason for people").isNotBlank();
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
