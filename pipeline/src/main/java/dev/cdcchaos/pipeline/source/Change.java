package dev.cdcchaos.pipeline.source;

import dev.cdcchaos.pipeline.event.Extras;
import java.util.Map;

/**
 * Optional parts of a write: the idempotency key the caller retries with (null: {@code
 * orderId:version}) and extra payload fields put in the event (schema drift; keys {@code
 * state.<name>} go inside the state object).
 */
public record Change(String idempotencyKey, Map<String, Object> extras) {

  /** The default: derived key, no extra fields. */
  public static final Change NONE = new Change(null, Map.of());

  public Change {
    extras = Extras.copyOf(extras);
    if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 128)) {
      throw new IllegalArgumentException(
          "idempotency key must be 1..128 characters, was '" + idempotencyKey + "'");
    }
  }

  /**
   * A change retried under {@code key}: a retry after a lost commit ack returns the first event.
   */
  public static Change key(String key) {
    return new Change(key, Map.of());
  }

  /** A change carrying extra payload fields. */
  public static Change extras(Map<String, Object> extras) {
    return new Change(null, extras);
  }

  /** This change with extra payload fields. */
  public Change withExtras(Map<String, Object> more) {
    return new Change(idempotencyKey, more);
  }
}
