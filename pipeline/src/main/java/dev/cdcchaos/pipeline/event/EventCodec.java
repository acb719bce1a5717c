package dev.cdcchaos.pipeline.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The JSON envelope on the wire and in the lake. Encoding is stable (same event, same bytes).
 * Decoding is strict about what the pipeline needs (ids, type, versions, state) and lenient about
 * everything else: unknown fields, at the top level or inside {@code state}, go to {@link
 * OrderEvent#extras()} (inner ones as {@code state.<name>}), never to an error.
 */
public final class EventCodec {
  /** Messages larger than this are poison: one oversized value must not stall a batch. */
  public static final int MAX_BYTES = 1 << 20;

  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> TOP_FIELDS =
      Set.of(
          "eventId",
          "idempotencyKey",
          "orderId",
          "type",
          "version",
          "schemaVersion",
          "occurredAt",
          "state");
  private static final Set<String> STATE_FIELDS =
      Set.of("orderId", "customerId", "status", "totalCents", "currency", "version", "deleted");

  private EventCodec() {}

  /** The envelope as JSON bytes. */
  public static byte[] encode(OrderEvent event) {
    ObjectNode root = JSON.createObjectNode();
    root.put("eventId", event.eventId());
    root.put("idempotencyKey", event.idempotencyKey());
    root.put("orderId", event.orderId());
    root.put("type", event.type().name());
    root.put("version", event.version());
    root.put("schemaVersion", event.schemaVersion());
    root.put("occurredAt", event.occurredAt().toString());
    ObjectNode state = root.putObject("state");
    OrderRow s = event.state();
    state.put("orderId", s.orderId());
    state.put("customerId", s.customerId());
    state.put("status", s.status());
    state.put("totalCents", s.totalCents());
    state.put("currency", s.currency());
    state.put("version", s.version());
    state.put("deleted", s.deleted());
    for (Map.Entry<String, Object> extra : event.extras().entrySet()) {
      String key = extra.getKey();
      JsonNode value = JSON.valueToTree(extra.getValue());
      if (key.startsWith("state.")) {
        state.set(key.substring("state.".length()), value);
      } else {
        root.set(key, value);
      }
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode event " + event.eventId(), e);
    }
  }

  /** The envelope as a JSON string, for logs and the lake. */
  public static String encodeToString(OrderEvent event) {
    return new String(encode(event), StandardCharsets.UTF_8);
  }

  /** Parses and validates an envelope; the exception's message is the dead-letter reason. */
  public static OrderEvent decode(byte[] bytes) throws PoisonMessageException {
    if (bytes == null) {
      throw new PoisonMessageException("empty message (null value)");
    }
    if (bytes.length > MAX_BYTES) {
      throw new PoisonMessageException(
          "oversized message: " + bytes.length + " bytes, limit " + MAX_BYTES);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      throw new PoisonMessageException("not JSON: " + firstLine(e.getMessage()), e);
    }
    if (root == null || !root.isObject()) {
      throw new PoisonMessageException("not a JSON object");
    }
    String eventId = text(root, "eventId");
    String idempotencyKey = text(root, "idempotencyKey");
    long orderId = integer(root, "orderId");
    String typeName = text(root, "type");
    EventType type;
    try {
      type = EventType.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw new PoisonMessageException("unknown event type '" + typeName + "'");
    }
    long version = integer(root, "version");
    if (version < 1) {
      throw new PoisonMessageException("version must be >= 1, was " + version);
    }
    long schemaVersion = integer(root, "schemaVersion");
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(text(root, "occurredAt"));
    } catch (DateTimeParseException e) {
      throw new PoisonMessageException("occurredAt is not an ISO-8601 instant");
    }
    JsonNode state = root.get("state");
    if (state == null || !state.isObject()) {
      throw new PoisonMessageException("missing or non-object field 'state'");
    }
    OrderRow row =
        new OrderRow(
            integer(state, "orderId"),
            integer(state, "customerId"),
            text(state, "status"),
            integer(state, "totalCents"),
            text(state, "currency"),
            integer(state, "version"),
            bool(state, "deleted"));
    if (row.orderId() != orderId) {
      throw new PoisonMessageException(
          "state.orderId " + row.orderId() + " differs from orderId " + orderId);
    }
    if (row.version() != version) {
      throw new PoisonMessageException(
          "state.version " + row.version() + " differs from version " + version);
    }
    if (row.deleted() != (type == EventType.ORDER_DELETED)) {
      throw new PoisonMessageException("state.deleted must be true exactly for ORDER_DELETED");
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    collectExtras(root, TOP_FIELDS, "", extras);
    collectExtras(state, STATE_FIELDS, "state.", extras);
    return new OrderEvent(
        eventId,
        idempotencyKey,
        orderId,
        type,
        version,
        (int) schemaVersion,
        occurredAt,
        row,
        extras);
  }

  /**
   * The unknown fields of an event as a JSON object string, for the warehouse's {@code extras}
   * column.
   */
  public static String extrasJson(OrderEvent event) {
    try {
      return JSON.writeValueAsString(event.extras());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot encode extras of " + event.eventId(), e);
    }
  }

  private static void collectExtras(
      JsonNode node, Set<String> known, String prefix, Map<String, Object> extras) {
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!known.contains(field.getKey())) {
        extras.put(prefix + field.getKey(), JSON.convertValue(field.getValue(), Object.class));
      }
    }
  }

  private static String text(JsonNode node, String field) throws PoisonMessageException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new PoisonMessageException("missing field '" + field + "'");
    }
    if (!value.isTextual() || value.asText().isBlank()) {
      throw new PoisonMessageException(
          "field '" + field + "' must be a non-empty string, was " + value.getNodeType());
    }
    return value.asText();
  }

  private static long integer(JsonNode node, String field) throws PoisonMessageException {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new PoisonMessageException("missing field '" + field + "'");
    }
    if (!value.isIntegralNumber() || !value.canConvertToLong()) {
      throw new PoisonMessageException(
          "field '" + field + "' must be an integer, was " + value.getNodeType());
    }
    return value.asLong();
  }

  private static boolean bool(JsonNode node, String field) throws PoisonMessageException {
    JsonNode value = node.get(field);
    if (value == null || !value.isBoolean()) {
      throw new PoisonMessageException("field '" + field + "' must be a boolean");
    }
    return value.asBoolean();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
