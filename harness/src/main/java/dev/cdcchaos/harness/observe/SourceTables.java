package dev.cdcchaos.harness.observe;

import dev.cdcchaos.harness.model.EnvelopeReader;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/** Reads the source side by SQL: every outbox event and the live {@code orders} rows. */
public final class SourceTables {

  private SourceTables() {}

  /**
   * The source as one snapshot.
   *
   * @param outbox every committed outbox event in outbox id order, decoded from its payload
   * @param orders the {@code orders} table by order id (deleted orders have no row)
   * @param markedPublished ids of the events whose outbox row has {@code published_at} set
   */
  public record Source(
      List<Event> outbox, Map<Long, OrderState> orders, Set<String> markedPublished) {}

  /**
   * Reads the outbox and {@code orders} in one repeatable-read transaction (a writer commits both
   * in one transaction, so they must be read from one snapshot).
   *
   * @throws IllegalStateException when an outbox row's payload is not a valid envelope, or its
   *     columns disagree with its payload: the source itself is broken, nothing can be judged
   */
  public static Source read(DataSource ds) throws SQLException {
    List<Event> outbox = new ArrayList<>();
    Map<Long, OrderState> orders = new LinkedHashMap<>();
    Set<String> marked = new HashSet<>();
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (ResultSet rs =
          st.executeQuery(
              "SELECT id, event_id::text, aggregate_id, event_type, aggregate_version, payload,"
                  + " published_at IS NOT NULL FROM outbox_events ORDER BY id")) {
        while (rs.next()) {
          Event event = decode(rs);
          outbox.add(event);
          if (rs.getBoolean(7)) {
            marked.add(event.eventId());
          }
        }
      }
      try (ResultSet rs =
          st.executeQuery(
              "SELECT order_id, customer_id, status, total_cents, currency, version FROM orders"
                  + " ORDER BY order_id")) {
        while (rs.next()) {
          OrderState row =
              new OrderState(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getLong(6),
                  false);
          orders.put(row.orderId(), row);
        }
      }
      c.commit();
    }
    return new Source(outbox, orders, marked);
  }

  private static Event decode(ResultSet rs) throws SQLException {
    long id = rs.getLong(1);
    String eventId = rs.getString(2);
    long orderId = rs.getLong(3);
    String type = rs.getString(4);
    long version = rs.getLong(5);
    String where =
        "outbox row id " + id + " (event " + eventId + ", order " + orderId + " v" + version + ")";
    EnvelopeReader.Decoded decoded =
        EnvelopeReader.read(rs.getString(6).getBytes(StandardCharsets.UTF_8));
    if (decoded instanceof EnvelopeReader.Rejected r) {
      throw new IllegalStateException(
          where
              + " holds a payload the envelope contract rejects ("
              + r.reason().code()
              + "): "
              + r.detail());
    }
    Event e = decoded.eventOrNull();
    // the publisher sends the payload with headers made from the columns: both must say the same
    if (!e.eventId().equals(eventId)
        || e.orderId() != orderId
        || !e.type().equals(type)
        || e.version() != version) {
      throw new IllegalStateException(
          where
              + ": its columns differ from its payload, which says event "
              + e.eventId()
              + ", order "
              + e.orderId()
              + " v"
              + e.version()
              + " "
              + e.type()
              + " (column type "
              + type
              + ")");
    }
    return e;
  }
}
