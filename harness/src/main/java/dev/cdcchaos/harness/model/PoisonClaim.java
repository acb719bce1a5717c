package dev.cdcchaos.harness.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * What a record that is not a valid event claims to be, read leniently from its bytes: the ids and
 * order state a sloppy reader would take from it. The oracle uses it to recognise a poison record
 * that a pipeline applied anyway ({@code converged}); a claim is evidence, never an event.
 *
 * @param eventId the top-level {@code eventId} if it is a string, else null
 * @param orderId {@code orderId}, else {@code state.orderId}, as an integer or a numeric string;
 *     null when neither is readable
 * @param state the claimed order state when every state field is readable (integers from numbers or
 *     numeric strings), else null
 */
public record PoisonClaim(String eventId, Long orderId, OrderState state) {

  private static final JsonFactory FACTORY = new JsonFactory();

  /** Whether the claim names anything a warehouse could hold. */
  public boolean isEmpty() {
    return eventId == null && orderId == null && state == null;
  }

  /**
   * The claim of one record value: what can be read from its start, up to the first syntax error (a
   * truncated envelope still names its ids).
   */
  public static PoisonClaim of(byte[] value) {
    Map<String, Object> top = new HashMap<>();
    Map<String, Object> state = new HashMap<>();
    if (value != null) {
      try (JsonParser p = FACTORY.createParser(value)) {
        if (p.nextToken() == JsonToken.START_OBJECT) {
          String name;
          while ((name = p.nextFieldName()) != null) {
            JsonToken t = p.nextToken();
            if ("state".equals(name) && t == JsonToken.START_OBJECT) {
              String inner;
              while ((inner = p.nextFieldName()) != null) {
                scalar(p, p.nextToken(), inner, state);
              }
            } else {
              scalar(p, t, name, top);
            }
          }
        }
      } catch (IOException e) {
        // truncated or malformed: keep what was read before the error
      }
    }
    Long orderId = integer(top.get("orderId"));
    if (orderId == null) {
      orderId = integer(state.get("orderId"));
    }
    Long stateOrder = integer(state.get("orderId"));
    Long customer = integer(state.get("customerId"));
    Long total = integer(state.get("totalCents"));
    Long version = integer(state.get("version"));
    OrderState claimed = null;
    if (stateOrder != null
        && customer != null
        && total != null
        && version != null
        && state.get("status") instanceof String status
        && state.get("currency") instanceof String currency) {
      claimed =
          new OrderState(
              stateOrder,
              customer,
              status,
              total,
              currency,
              version,
              Boolean.TRUE.equals(state.get("deleted")));
    }
    return new PoisonClaim(top.get("eventId") instanceof String id ? id : null, orderId, claimed);
  }

  private static void scalar(JsonParser p, JsonToken t, String name, Map<String, Object> into)
      throws IOException {
    switch (t) {
      case VALUE_STRING -> into.put(name, p.getText());
      case VALUE_NUMBER_INT ->
          into.put(
              name,
              p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : p.getLongValue());
      case VALUE_TRUE, VALUE_FALSE -> into.put(name, t == JsonToken.VALUE_TRUE);
      default -> p.skipChildren();
    }
  }

  private static Long integer(Object v) {
    if (v instanceof Long l) {
      return l;
    }
    if (v instanceof String s) {
      try {
        return Long.parseLong(s.trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
