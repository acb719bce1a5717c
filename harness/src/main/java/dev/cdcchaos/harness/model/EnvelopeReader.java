package dev.cdcchaos.harness.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The oracle's reader of the change-event envelope, written from the contract in {@code
 * docs/envelope.md} (with Jackson's tree model) and tested against the shared examples in {@code
 * docs/envelope-examples.json}, never against the pipeline's codec: the expected state must not be
 * computed by the code under test.
 *
 * <p>Rules are checked in the contract's order and the first broken one is the reason, so two
 * readers that follow the contract reject a message for the same reason.
 */
public final class EnvelopeReader {

  /** Values larger than this are rejected unread: one oversized value must not stall a batch. */
  public static final int MAX_BYTES = 1 << 20;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private EnvelopeReader() {}

  /** Why a value is not an event: the contract's reason classes. */
  public enum Reason {
    /** The record has no value at all (a Kafka tombstone). */
    NULL_VALUE,
    /** More than {@link #MAX_BYTES} bytes. */
    OVERSIZED,
    /** Not one syntactically valid JSON value (truncated, trailing content, bad UTF-8). */
    NOT_JSON,
    /** Valid JSON, but not an object (or empty). */
    NOT_AN_OBJECT,
    /** A required field is absent or JSON {@code null}. */
    MISSING_FIELD,
    /** A required field has the wrong JSON type, a blank string, or an integer outside a long. */
    WRONG_TYPE,
    /** {@code type} is a string but not one of {@link Event#TYPES}. */
    UNKNOWN_TYPE,
    /** {@code version} is below 1. */
    BAD_VERSION,
    /** {@code occurredAt} is a string but not an ISO-8601 instant. */
    BAD_OCCURRED_AT,
    /** {@code state} disagrees with the envelope: order id, version, or deleted versus type. */
    INCONSISTENT_STATE;

    /** The name used in the contract and its examples, e.g. {@code missing-field}. */
    public String code() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The reason of that contract name. */
    public static Optional<Reason> byCode(String code) {
      return Arrays.stream(values()).filter(r -> r.code().equals(code)).findFirst();
    }
  }

  /** What reading a value gave: an event, or the reason it is not one. */
  public sealed interface Decoded permits Accepted, Rejected {

    /** The event, or null when rejected. */
    Event eventOrNull();
  }

  /** A value that is a valid event. */
  public record Accepted(Event event) implements Decoded {
    @Override
    public Event eventOrNull() {
      return event;
    }
  }

  /**
   * A value that is not an event.
   *
   * @param field the offending field as a dotted path ({@code eventId}, {@code state.customerId}),
   *     or null when the reason is about the whole value
   * @param detail for people: what is wrong and where
   */
  public record Rejected(Reason reason, String field, String detail) implements Decoded {
    @Override
    public Event eventOrNull() {
      return null;
    }
  }

  /** Reads one record value (null for a record without a value). */
  public static Decoded read(byte[] value) {
    try {
      return new Accepted(decode(value));
    } catch (Reject r) {
      return r.rejected;
    }
  }

  /** The event id of a valid value, or null when the value is not an event. */
  public static String eventIdOf(byte[] value) {
    Event e = read(value).eventOrNull();
    return e == null ? null : e.eventId();
  }

  private static Event decode(byte[] value) throws Reject {
    if (value == null) {
      throw new Reject(Reason.NULL_VALUE, null, "the record has no value");
    }
    if (value.length > MAX_BYTES) {
      throw new Reject(
          Reason.OVERSIZED, null, value.length + " bytes, the limit is " + MAX_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new Reject(Reason.NOT_JSON, null, "not JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Reject(Reason.NOT_JSON, null, "not JSON: " + firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new Reject(
          Reason.NOT_AN_OBJECT,
          null,
          "expected a JSON object, was " + (root == null ? "nothing" : root.getNodeType()));
    }
    String eventId = text(root, "eventId", "");
    String idempotencyKey = text(root, "idempotencyKey", "");
    long orderId = integer(root, "orderId", "");
    String type = text(root, "type", "");
    if (!Event.TYPES.contains(type)) {
      throw new Reject(
          Reason.UNKNOWN_TYPE,
          "type",
          "unknown event type '" + type + "', expected one of " + Event.TYPES);
    }
    long version = integer(root, "version", "");
    if (version < 1) {
      throw new Reject(Reason.BAD_VERSION, "version", "version must be >= 1, was " + version);
    }
    long schemaVersion = integer(root, "schemaVersion", "");
    String occurred = text(root, "occurredAt", "");
    Instant occurredAt;
    try {
      occurredAt = Instant.parse(occurred);
    } catch (DateTimeParseException e) {
      throw new Reject(
          Reason.BAD_OCCURRED_AT,
          "occurredAt",
          "occurredAt '" + occurred + "' is not an ISO-8601 instant");
    }
    JsonNode stateNode = root.get("state");
    if (stateNode == null || stateNode.isNull()) {
      throw new Reject(Reason.MISSING_FIELD, "state", "missing field 'state'");
    }
    if (!stateNode.isObject()) {
      throw new Reject(
          Reason.WRONG_TYPE,
          "state",
          "field 'state' must be an object, was " + stateNode.getNodeType());
    }
    OrderState state =
        new OrderState(
            integer(stateNode, "orderId", "state."),
            integer(stateNode, "customerId", "state."),
            text(stateNode, "status", "state."),
            integer(stateNode, "totalCents", "state."),
            text(stateNode, "currency", "state."),
            integer(stateNode, "version", "state."),
            bool(stateNode, "deleted", "state."));
    if (state.orderId() != orderId) {
      throw new Reject(
          Reason.INCONSISTENT_STATE,
          "state.orderId",
          "state.orderId " + state.orderId() + " differs from orderId " + orderId);
    }
    if (state.version() != version) {
      throw new Reject(
          Reason.INCONSISTENT_STATE,
          "state.version",
          "state.version " + state.version() + " differs from version " + version);
    }
    if (state.deleted() != Event.ORDER_DELETED.equals(type)) {
      throw new Reject(
          Reason.INCONSISTENT_STATE,
          "state.deleted",
          "state.deleted is " + state.deleted() + ", it must be true exactly for ORDER_DELETED");
    }
    Map<String, Object> extras = new LinkedHashMap<>();
    unknownFields(root, "", extras);
    unknownFields(stateNode, "state.", extras);
    return new Event(
        eventId, idempotencyKey, orderId, type, version, schemaVersion, occurredAt, state, extras);
  }

  private static final Set<String> ENVELOPE_FIELDS =
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

  /** Every field the contract does not name, as plain Java values, in document order. */
  private static void unknownFields(JsonNode object, String prefix, Map<String, Object> into)
      throws Reject {
    Set<String> known = prefix.isEmpty() ? ENVELOPE_FIELDS : STATE_FIELDS;
    for (Map.Entry<String, JsonNode> f : object.properties()) {
      if (!known.contains(f.getKey())) {
        try {
          into.put(prefix + f.getKey(), JSON.treeToValue(f.getValue(), Object.class));
        } catch (JsonProcessingException e) {
          // a parsed tree always converts; reaching this is a reader bug, not bad input
          throw new IllegalStateException("cannot convert field " + prefix + f.getKey(), e);
        }
      }
    }
  }

  private static JsonNode present(JsonNode object, String name, String prefix) throws Reject {
    JsonNode node = object.get(name);
    if (node == null || node.isNull()) {
      throw new Reject(
          Reason.MISSING_FIELD, prefix + name, "missing field '" + prefix + name + "'");
    }
    return node;
  }

  private static String text(JsonNode object, String name, String prefix) throws Reject {
    JsonNode node = present(object, name, prefix);
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw new Reject(
          Reason.WRONG_TYPE,
          prefix + name,
          "field '"
              + prefix
              + name
              + "' must be a non-empty string, was "
              + (node.isTextual() ? "a blank string" : node.getNodeType()));
    }
    return node.textValue();
  }

  private static long integer(JsonNode object, String name, String prefix) throws Reject {
    JsonNode node = present(object, name, prefix);
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new Reject(
          Reason.WRONG_TYPE,
          prefix + name,
          "field '"
              + prefix
              + name
              + "' must be an integer that fits a long, was "
              + (node.isNumber() ? node.asText() : node.getNodeType()));
    }
    return node.longValue();
  }

  private static boolean bool(JsonNode object, String name, String prefix) throws Reject {
    JsonNode node = present(object, name, prefix);
    if (!node.isBoolean()) {
      throw new Reject(
          Reason.WRONG_TYPE,
          prefix + name,
          "field '" + prefix + name + "' must be a boolean, was " + node.getNodeType());
    }
    return node.booleanValue();
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The first broken rule, thrown to the top of {@link #decode}. */
  private static final class Reject extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient Rejected rejected;

    Reject(Reason reason, String field, String detail) {
      super(detail, null, false, false);
      this.rejected = new Rejected(reason, field, detail);
    }
  }
}
