package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.event.OrderRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * Reads every warehouse table into plain values, for checkers, replay comparisons and the CLI. Open
 * a file with {@link #open(Path)} (read-only; DuckDB refuses while another process writes it) or
 * get one from a live {@link Warehouse#reader()}. All lists are in primary-key order.
 */
public final class WarehouseReader implements AutoCloseable {
  private final Connection conn;
  private final boolean owned;

  WarehouseReader(Connection conn, boolean owned) {
    this.conn = conn;
    this.owned = owned;
  }

  /** Opens the warehouse file read-only. */
  public static WarehouseReader open(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no warehouse file at " + file.toAbsolutePath());
    }
    Properties props = new Properties();
    props.setProperty("duckdb.read_only", "true");
    try {
      return new WarehouseReader(
          DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props), true);
    } catch (SQLException e) {
      throw new WarehouseException(
          "cannot open warehouse "
              + file
              + " read-only (is a consumer still writing it?): "
              + e.getMessage(),
          e);
    }
  }

  /** Every {@code wh_orders} row, tombstones included, as order states. */
  public List<OrderRow> orders() {
    return query(
        "SELECT order_id, customer_id, status, total_cents, currency, version, deleted"
            + " FROM wh_orders ORDER BY order_id",
        rs ->
            new OrderRow(
                rs.getLong(1),
                rs.getLong(2),
                rs.getString(3),
                rs.getLong(4),
                rs.getString(5),
                rs.getLong(6),
                rs.getBoolean(7)));
  }

  /** Every {@code wh_orders} row with its extras and updated-at. */
  public List<WarehouseOrder> ordersWithExtras() {
    return query(
        "SELECT order_id, customer_id, status, total_cents, currency, version, deleted, extras,"
            + " epoch_us(updated_at) FROM wh_orders ORDER BY order_id",
        rs ->
            new WarehouseOrder(
                new OrderRow(
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getString(3),
                    rs.getLong(4),
                    rs.getString(5),
                    rs.getLong(6),
                    rs.getBoolean(7)),
                rs.getString(8),
                instant(rs.getLong(9))));
  }

  public List<LedgerEntry> ledger() {
    return query(
        "SELECT event_id, order_id, version, topic, kafka_partition, kafka_offset,"
            + " epoch_us(occurred_at), duplicates, epoch_us(applied_at)"
            + " FROM wh_applied_events ORDER BY event_id",
        rs ->
            new LedgerEntry(
                rs.getString(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getInt(5),
                rs.getLong(6),
                instant(rs.getLong(7)),
                rs.getLong(8),
                instant(rs.getLong(9))));
  }

  public List<CustomerTotal> customerTotals() {
    return query(
        "SELECT customer_id, order_count, revenue_cents FROM wh_customer_totals"
            + " ORDER BY customer_id",
        rs -> new CustomerTotal(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
  }

  public List<Checkpoint> checkpoints() {
    return query(
        "SELECT topic, kafka_partition, next_offset FROM wh_checkpoints"
            + " ORDER BY topic, kafka_partition",
        rs -> new Checkpoint(rs.getString(1), rs.getInt(2), rs.getLong(3)));
  }

  public List<DeadLetter> deadLetters() {
    return query(
        "SELECT topic, kafka_partition, kafka_offset, event_id, reason, raw, epoch_us(dead_at)"
            + " FROM wh_dead_letters ORDER BY topic, kafka_partition, kafka_offset",
        rs ->
            new DeadLetter(
                rs.getString(1),
                rs.getInt(2),
                rs.getLong(3),
                rs.getString(4),
                rs.getString(5),
                rs.getBytes(6),
                instant(rs.getLong(7))));
  }

  public WarehouseTotals totals() {
    return query(
            "SELECT (SELECT count(*) FROM wh_applied_events),"
                + " (SELECT coalesce(sum(duplicates), 0) FROM wh_applied_events),"
                + " (SELECT count(*) FROM wh_dead_letters), (SELECT count(*) FROM wh_orders)",
            rs -> new WarehouseTotals(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)))
        .get(0);
  }

  @Override
  public void close() {
    if (owned) {
      try {
        conn.close();
      } catch (SQLException e) {
        throw new WarehouseException("cannot close warehouse reader: " + e.getMessage(), e);
      }
    }
  }

  private interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private <T> List<T> query(String sql, RowMapper<T> mapper) {
    List<T> out = new ArrayList<>();
    try (Statement st = conn.createStatement();
        ResultSet rs = st.executeQuery(sql)) {
      while (rs.next()) {
        out.add(mapper.map(rs));
      }
    } catch (SQLException e) {
      throw new WarehouseException("query failed: " + sql + ": " + e.getMessage(), e);
    }
    return out;
  }

  private static Instant instant(long micros) {
    return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
  }
}
