package dev.cdcchaos.harness.observe;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.model.OrderState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Reads a DuckDB warehouse file (the live one or one a replay rebuilt) by plain SQL through
 * DuckDB's JDBC driver, read-only, all tables in one transaction.
 */
public final class WarehouseTables {

  private WarehouseTables() {}

  /**
   * The warehouse tables as the checkers see them, each in primary-key order.
   *
   * @param rows every {@code wh_orders} row, tombstones included
   * @param extras {@code wh_orders.extras} (JSON text) by order id; null when the table has no such
   *     column (the pipeline contract does not require it)
   */
  public record Warehouse(
      List<OrderState> rows,
      List<CustomerTotal> totals,
      List<AppliedEvent> ledger,
      List<DeadLetter> deadLetters,
      List<Checkpoint> checkpoints,
      Map<Long, String> extras) {

    /** {@code wh_orders} by order id (a later row of the same id wins). */
    public Map<Long, OrderState> byOrder() {
      Map<Long, OrderState> m = new LinkedHashMap<>();
      for (OrderState r : rows) {
        m.put(r.orderId(), r);
      }
      return m;
    }
  }

  /**
   * Reads every table of the warehouse file.
   *
   * @throws IllegalArgumentException when there is no such file
   * @throws IllegalStateException when the file cannot be opened or a table read, naming both
   */
  public static Warehouse read(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("no warehouse file at " + file.toAbsolutePath());
    }
    Properties props = new Properties();
    props.setProperty("duckdb.read_only", "true");
    String sql = "";
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath(), props);
        Statement st = c.createStatement()) {
      c.setAutoCommit(false);
      List<OrderState> rows = new ArrayList<>();
      sql =
          "SELECT order_id, customer_id, status, total_cents, currency, version, deleted"
              + " FROM wh_orders ORDER BY order_id";
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          rows.add(
              new OrderState(
                  rs.getLong(1),
                  rs.getLong(2),
                  rs.getString(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getLong(6),
                  rs.getBoolean(7)));
        }
      }
      List<CustomerTotal> totals = new ArrayList<>();
      sql =
          "SELECT customer_id, order_count, revenue_cents FROM wh_customer_totals"
              + " ORDER BY customer_id";
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          totals.add(new CustomerTotal(rs.getLong(1), rs.getLong(2), rs.getLong(3)));
        }
      }
      List<AppliedEvent> ledger = new ArrayList<>();
      sql =
          "SELECT event_id, order_id, version, topic, kafka_partition, kafka_offset, duplicates"
              + " FROM wh_applied_events ORDER BY event_id, topic, kafka_partition, kafka_offset";
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          ledger.add(
              new AppliedEvent(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getString(4),
                  rs.getInt(5),
                  rs.getLong(6),
                  rs.getLong(7)));
        }
      }
      List<DeadLetter> deadLetters = new ArrayList<>();
      sql =
          "SELECT topic, kafka_partition, kafka_offset, event_id, reason FROM wh_dead_letters"
              + " ORDER BY topic, kafka_partition, kafka_offset";
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          deadLetters.add(
              new DeadLetter(
                  rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4), rs.getString(5)));
        }
      }
      List<Checkpoint> checkpoints = new ArrayList<>();
      sql =
          "SELECT topic, kafka_partition, next_offset FROM wh_checkpoints"
              + " ORDER BY topic, kafka_partition";
      try (ResultSet rs = st.executeQuery(sql)) {
        while (rs.next()) {
          checkpoints.add(new Checkpoint(rs.getString(1), rs.getInt(2), rs.getLong(3)));
        }
      }
      Map<Long, String> extras = null;
      sql =
          "SELECT count(*) FROM information_schema.columns WHERE table_name = 'wh_orders'"
              + " AND column_name = 'extras'";
      boolean hasExtras;
      try (ResultSet rs = st.executeQuery(sql)) {
        hasExtras = rs.next() && rs.getLong(1) > 0;
      }
      if (hasExtras) {
        extras = new LinkedHashMap<>();
        sql = "SELECT order_id, extras FROM wh_orders ORDER BY order_id";
        try (ResultSet rs = st.executeQuery(sql)) {
          while (rs.next()) {
            extras.put(rs.getLong(1), rs.getString(2));
          }
        }
      }
      c.commit();
      return new Warehouse(rows, totals, ledger, deadLetters, checkpoints, extras);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read warehouse "
              + file
              + (sql.isEmpty() ? " (is a consumer still writing it?)" : " with " + sql)
              + ": "
              + e.getMessage(),
          e);
    }
  }
}
