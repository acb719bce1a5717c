package dev.cdcchaos.pipeline.source;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.io.IOException;
import java.io.Reader;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import org.postgresql.PGConnection;

/**
 * Loads many outbox events (and the matching {@code orders} rows) with {@code COPY}, streaming, for
 * benchmarks and large backfills: a million single-row transactions would take minutes, a COPY
 * takes seconds. Bypasses {@link OrderWriter}, so the caller supplies consistent events.
 */
public final class OutboxBulkLoader {

  private OutboxBulkLoader() {}

  /** Copies {@code events} into {@code outbox_events} as unpublished rows; returns the count. */
  public static long copyEvents(Connection connection, Iterator<OrderEvent> events)
      throws SQLException, IOException {
    String sql =
        "COPY outbox_events (event_id, idempotency_key, aggregate_id, event_type,"
            + " aggregate_version, schema_version, occurred_at, payload) FROM STDIN WITH (FORMAT csv)";
    return connection
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(sql, new CsvReader<>(events, OutboxBulkLoader::eventLine));
  }

  /** Copies {@code rows} into {@code orders} (live rows only; tombstones are skipped). */
  public static long copyOrders(Connection connection, Iterator<OrderRow> rows, Instant updatedAt)
      throws SQLException, IOException {
    String sql =
        "COPY orders (order_id, customer_id, status, total_cents, currency, version, updated_at)"
            + " FROM STDIN WITH (FORMAT csv)";
    return connection
        .unwrap(PGConnection.class)
        .getCopyAPI()
        .copyIn(sql, new CsvReader<>(new LiveRows(rows), r -> orderLine(r, updatedAt)));
  }

  private static String eventLine(OrderEvent e) {
    return e.eventId()
        + ','
        + quote(e.idempotencyKey())
        + ','
        + e.orderId()
        + ','
        + e.type().name()
        + ','
        + e.version()
        + ','
        + e.schemaVersion()
        + ','
        + e.occurredAt()
        + ','
        + quote(EventCodec.encodeToString(e))
        + '\n';
  }

  private static String orderLine(OrderRow r, Instant updatedAt) {
    return r.orderId()
        + ","
        + r.customerId()
        + ","
        + quote(r.status())
        + ","
        + r.totalCents()
        + ","
        + quote(r.currency())
        + ","
        + r.version()
        + ","
        + updatedAt
        + "\n";
  }

  private static String quote(String s) {
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  /** Skips tombstones: a deleted order has no row in {@code orders}. */
  private static final class LiveRows implements Iterator<OrderRow> {
    private final Iterator<OrderRow> rows;
    private OrderRow next;

    LiveRows(Iterator<OrderRow> rows) {
      this.rows = rows;
    }

    @Override
    public boolean hasNext() {
      while (next == null && rows.hasNext()) {
        OrderRow r = rows.next();
        if (!r.deleted()) {
          next = r;
        }
      }
      return next != null;
    }

    @Override
    public OrderRow next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      OrderRow r = next;
      next = null;
      return r;
    }
  }

  /** Renders items to CSV lazily, so a million rows never sit in memory as text. */
  private static final class CsvReader<T> extends Reader {
    private final Iterator<T> items;
    private final java.util.function.Function<T, String> line;
    private String current = "";
    private int pos;

    CsvReader(Iterator<T> items, java.util.function.Function<T, String> line) {
      this.items = items;
      this.line = line;
    }

    @Override
    public int read(char[] buf, int off, int len) {
      int written = 0;
      while (written < len) {
        if (pos == current.length()) {
          if (!items.hasNext()) {
            break;
          }
          current = line.apply(items.next());
          pos = 0;
        }
        int n = Math.min(len - written, current.length() - pos);
        current.getChars(pos, pos + n, buf, off + written);
        pos += n;
        written += n;
      }
      return written == 0 && len > 0 ? -1 : written;
    }

    @Override
    public void close() {}
  }
}
