package dev.cdcchaos.pipeline.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The JSON envelope on the wire and in the lake, as written down in {@code docs/envelope.md} (the
 * contract the harness's own reader follows too; {@code EnvelopeContractTest} runs the shared
 * examples of {@code docs/envelope-examples.json}). Encoding is stable (same event, same bytes).
 * Decoding is strict about what the pipeline needs (ids, type, versions, state) and lenient about
 * everything else: unknown fields, at the top level or inside {@code state}, go to {@link
 * OrderEvent#extras()} (inner ones as {@code state.<name>}), never to an error.
 */
public final class EventCodec {
  /** Messages larger than this are poison: one oversized value must not stall a batch. */
  public static final int MAX_BYTES = 1 << 20;

  public static final int SCHEMA_VERSION = 1;

  private static final ObjectMapper JSON = new ObjectMapper();

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

  /**
   * Parses and validates an envelope; the exception's message is the dead-letter reason.
   *
   * <p>One pass of Jackson's streaming parser (no tree): every field is read first and validated
   * after, so a syntax error anywhere wins over a bad field, as with a tree parse, and the reasons
   * are checked in a fixed order whatever the order of the fields.
   */
  public static OrderEvent decode(byte[] bytes) throws PoisonMessageException {
    if (bytes == null) {
      throw new PoisonMessageException("empty message (null value)");
    }
    if (bytes.length > MAX_BYTES) {
      throw new PoisonMessageException(
          "oversized message: " + bytes.length + " bytes, limit " + MAX_BYTES);
    }
    Envelope in = new Envelope();
    try (JsonParser p = JSON.getFactory().createParser(bytes)) {
      JsonToken root = p.nextToken();
      if (root != JsonToken.START_OBJECT) {
        p.skipChildren(); // a malformed array is "not JSON", like a tree parse says
        if (root != null) {
          p.finishToken(); // a scalar is read lazily: an unterminated string is "not JSON" too
        }
        requireEnd(p);
        throw new PoisonMessageException("not a JSON object");
      }
      in.read(p);
      requireEnd(p);
    } catch (IOException e) {
      throw new PoisonMessageException("not JSON: " + firstLine(e.getMessage()), e);
    }
    String eventId = in.eventId.text("eventId");
    String idempotencyKey = in.idempotencyKey.text("idempotencyKey");
    long orderId = in.orderId.integer("orderId");
    String typeName = in.type.text("type");
    EventType type;
    try {
      type = EventType.valueOf(typeName);
    } catch (IllegalArgumentException e) {
      throw new PoisonMessageException("unknown event type '" + typeName + "'");
    }
    long version = in.version.integer("version");
    if (version < 1) {
      throw new PoisonMessageException("version must be >= 1, was " + version);
    }
    long schemaVersion = in.schemaVersion.integer("schemaVersion");
    Instant occurredAt;
    try {
      occurredAt = parseInstant(in.occurredAt.text("occurredAt"));
    } catch (DateTimeParseException e) {
      throw new PoisonMessageException("occurredAt is not an ISO-8601 instant");
    }
    State state = in.state;
    if (state == null) {
      throw new PoisonMessageException("missing or non-object field 'state'");
    }
    OrderRow row =
        new OrderRow(
            state.orderId.integer("orderId"),
            state.customerId.integer("customerId"),
            state.status.text("status"),
            state.totalCents.integer("totalCents"),
            state.currency.text("currency"),
            state.version.integer("version"),
            state.deleted.bool("deleted"));
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
    Map<String, Object> extras = in.extras;
    if (state.extras != null) {
      extras = extras == null ? new LinkedHashMap<>() : extras;
      extras.putAll(state.extras);
    }
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

  /** The value must be one JSON value: content after it makes the whole "not JSON". */
  private static void requireEnd(JsonParser p) throws IOException, PoisonMessageException {
    if (p.nextToken() != null) {
      throw new PoisonMessageException("not JSON: content after the first value");
    }
  }

  /** The fields of one envelope as the parser met them, validated by {@link #decode}. */
  private static final class Envelope {
    final Field eventId = new Field();
    final Field idempotencyKey = new Field();
    final Field orderId = new Field();
    final Field type = new Field();
    final Field version = new Field();
    final Field schemaVersion = new Field();
    final Field occurredAt = new Field();
    State state; // null: missing or not an object
    Map<String, Object> extras;

    /** Reads the fields of the root object; the parser is on its START_OBJECT. */
    void read(JsonParser p) throws IOException {
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "eventId" -> eventId.read(p, t);
          case "idempotencyKey" -> idempotencyKey.read(p, t);
          case "orderId" -> orderId.read(p, t);
          case "type" -> type.read(p, t);
          case "version" -> version.read(p, t);
          case "schemaVersion" -> schemaVersion.read(p, t);
          case "occurredAt" -> occurredAt.read(p, t);
          case "state" -> {
            // a later duplicate "state" replaces an earlier one, as in a tree
            if (t == JsonToken.START_OBJECT) {
              state = new State();
              state.read(p);
            } else {
              state = null;
              p.skipChildren();
            }
          }
          default -> {
            if (extras == null) {
              extras = new LinkedHashMap<>();
            }
            extras.put(name, JSON.readValue(p, Object.class));
          }
        }
      }
    }
  }

  /** The fields of the envelope's {@code state} object. */
  private static final class State {
    final Field orderId = new Field();
    final Field customerId = new Field();
    final Field status = new Field();
    final Field totalCents = new Field();
    final Field currency = new Field();
    final Field version = new Field();
    final Field deleted = new Field();
    Map<String, Object> extras; // keyed state.<name>

    /** Reads the fields of the state object; the parser is on its START_OBJECT. */
    void read(JsonParser p) throws IOException {
      String name;
      while ((name = p.nextFieldName()) != null) {
        JsonToken t = p.nextToken();
        switch (name) {
          case "orderId" -> orderId.read(p, t);
          case "customerId" -> customerId.read(p, t);
          case "status" -> status.read(p, t);
          case "totalCents" -> totalCents.read(p, t);
          case "currency" -> currency.read(p, t);
          case "version" -> version.read(p, t);
          case "deleted" -> deleted.read(p, t);
          default -> {
            if (extras == null) {
              extras = new LinkedHashMap<>();
            }
            extras.put("state." + name, JSON.readValue(p, Object.class));
          }
        }
      }
    }
  }

  /** One known field: absent, or the JSON type it had and its value when it was a scalar. */
  private static final class Field {
    JsonNodeType kind; // null: absent
    String text;
    long number;
    boolean fitsLong;
    boolean bool;

    void read(JsonParser p, JsonToken t) throws IOException {
      kind =
          switch (t) {
            case VALUE_STRING -> JsonNodeType.STRING;
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> JsonNodeType.NUMBER;
            case VALUE_TRUE, VALUE_FALSE -> JsonNodeType.BOOLEAN;
            case VALUE_NULL -> JsonNodeType.NULL;
            case START_OBJECT -> JsonNodeType.OBJECT;
            case START_ARRAY -> JsonNodeType.ARRAY;
            default -> JsonNodeType.MISSING;
          };
      fitsLong = false;
      switch (t) {
        case VALUE_STRING -> text = p.getText();
        case VALUE_NUMBER_INT -> {
          fitsLong = p.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
          number = fitsLong ? p.getLongValue() : 0;
        }
        case VALUE_TRUE, VALUE_FALSE -> bool = t == JsonToken.VALUE_TRUE;
        case START_OBJECT, START_ARRAY -> p.skipChildren();
        default -> {
          // a float or null needs no value: both are rejected by type
        }
      }
    }

    String text(String field) throws PoisonMessageException {
      if (kind == null || kind == JsonNodeType.NULL) {
        throw new PoisonMessageException("missing field '" + field + "'");
      }
      if (kind != JsonNodeType.STRING || text.isBlank()) {
        throw new PoisonMessageException(
            "field '" + field + "' must be a non-empty string, was " + kind);
      }
      return text;
    }

    long integer(String field) throws PoisonMessageException {
      if (kind == null || kind == JsonNodeType.NULL) {
        throw new PoisonMessageException("missing field '" + field + "'");
      }
      if (!fitsLong) {
        throw new PoisonMessageException("field '" + field + "' must be an integer, was " + kind);
      }
      return number;
    }

    boolean bool(String field) throws PoisonMessageException {
      if (kind == null || kind == JsonNodeType.NULL) {
        throw new PoisonMessageException("missing field '" + field + "'");
      }
      if (kind != JsonNodeType.BOOLEAN) {
        throw new PoisonMessageException("field '" + field + "' must be a boolean");
      }
      return bool;
    }
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

  /**
   * {@link Instant#parse}, with a fast path for the form {@link Instant#toString} writes ({@code
   * 2026-11-24T08:00:00.123456Z}, 0 to 9 fraction digits): the formatter costs as much as the rest
   * of decoding. Anything else goes to {@link Instant#parse}, which also gives the errors.
   */
  static Instant parseInstant(String s) {
    int n = s.length();
    if (n < 20
        || n > 30
        || n == 21
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(n - 1) != 'Z'
        || (n > 20 && s.charAt(19) != '.')) {
      return Instant.parse(s);
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
    if (year < 0
        || month < 1
        || month > 12
        || day < 1
        || day > java.time.YearMonth.of(year, month).lengthOfMonth()
        || hour < 0
        || hour > 23
        || minute < 0
        || minute > 59
        || second < 0
        || second > 59
        || fraction < 0) {
      return Instant.parse(s);
    }
    int nanos = fraction;
    for (int i = n - 1 - 20; i < 9 && n > 20; i++) {
      nanos *= 10;
    }
    long epochSecond =
        java.time.LocalDate.of(year, month, day).toEpochDay() * 86_400L
            + hour * 3_600L
            + minute * 60L
            + second;
    return Instant.ofEpochSecond(epochSecond, nanos);
  }

  /** The decimal number in {@code s[from, to)}, or -1 if a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }
}
