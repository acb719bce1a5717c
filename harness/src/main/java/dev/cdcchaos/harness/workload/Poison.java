package dev.cdcchaos.harness.workload;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * Makes the bytes of poison records: each starts from a real, valid envelope and breaks it in one
 * way, so the decoder must notice exactly that defect. Order ids of poison lie far above any
 * workload's, so a pipeline that wrongly applied one could not hide it among real orders.
 */
public final class Poison {
  /** Order ids of poison records start here. */
  public static final long FIRST_ORDER_ID = 9_000_000_000L;

  private static final ObjectMapper JSON = new ObjectMapper();

  private Poison() {}

  /** A poison record value of {@code kind}; the same {@code random} state gives the same bytes. */
  public static byte[] bytes(PoisonKind kind, Random random) {
    byte[] valid = EventCodec.encode(validEvent(random));
    ObjectNode envelope = tree(valid);
    ObjectNode state = (ObjectNode) envelope.get("state");
    switch (kind) {
      case MALFORMED_JSON -> {
        int cut = valid.length / 3 + random.nextInt(valid.length / 3);
        return Arrays.copyOf(valid, cut);
      }
      case WRONG_TYPES -> {
        envelope.put("orderId", "order-" + envelope.get("orderId").asText());
        envelope.put("version", envelope.get("version").asText());
        state.put("totalCents", "12.50");
      }
      case OVERSIZED -> {
        char[] padding = new char[EventCodec.MAX_BYTES + 1 + random.nextInt(1024)];
        Arrays.fill(padding, 'x');
        envelope.put("padding", new String(padding));
      }
      case UNKNOWN_TYPE -> envelope.put("type", "ORDER_TELEPORTED");
      case MISSING_ID -> {
        envelope.remove("orderId");
        state.remove("orderId");
      }
      case NEGATIVE_VERSION -> {
        long v = -1 - random.nextInt(100);
        envelope.put("version", v);
        state.put("version", v);
      }
      default -> throw new IllegalStateException("no poison recipe for " + kind);
    }
    return write(envelope);
  }

  private static OrderEvent validEvent(Random random) {
    long orderId = FIRST_ORDER_ID + random.nextInt(1_000_000);
    long version = 1 + random.nextInt(5);
    OrderRow row =
        new OrderRow(
            orderId,
            1 + random.nextInt(100),
            "NEW",
            100 + random.nextInt(100_000),
            "EUR",
            version,
            false);
    return new OrderEvent(
        new UUID(random.nextLong(), random.nextLong()).toString(),
        orderId + ":" + version,
        orderId,
        version == 1 ? EventType.ORDER_CREATED : EventType.ORDER_UPDATED,
        version,
        EventCodec.SCHEMA_VERSION,
        Instant.ofEpochSecond(1_780_000_000L + random.nextInt(1_000_000)),
        row,
        Map.of());
  }

  private static ObjectNode tree(byte[] json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
