package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The DuckDB warehouse: applies consumer batches, all or nothing, and answers where the consumer
 * should resume. One writer per file (DuckDB's rule); a {@code kill -9} at any point is recovered
 * by DuckDB's WAL on the next open, and an uncommitted batch simply never happened.
 *
 * <p>A batch is staged with the Appender into a temp table and applied with set-based SQL: events
 * already in the ledger are counted as duplicates and dropped, the rest are folded per order
 * (highest version wins), upserted under a version guard, and the customer totals are moved by the
 * old row to new row delta of the rows that really changed. How each step is done is given by
 * {@link ApplyRules}, so the known-bad variants are different strategies, not branches.
 */
public final class Warehouse implements AutoCloseable {
  private static final String SCHEMA_RESOURCE = "/db/warehouse/warehouse.sql";

  private static final String STAGE_DDL =
      """
      CREATE TEMP TABLE IF NOT EXISTS stage_events (
        seq INTEGER, event_id VARCHAR, order_id BIGINT, customer_id BIGINT, status VARCHAR,
        total_cents BIGINT, currency VARCHAR, version BIGINT, deleted BOOLEAN, extras VARCHAR,
        occurred_at TIMESTAMP, topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT)
      """;

  /**
   * Distinct event ids of the batch, whether the ledger already holds them. The ledger has no
   * index: a hash anti-join over its id column is cheaper in DuckDB than maintaining an ART index
   * on a VARCHAR key, and the warehouse is its only writer, so this statement keeps it unique.
   */
  private static final String BATCH_IDS =
      """
      CREATE OR REPLACE TEMP TABLE batch_ids AS
      SELECT b.event_id, b.n, b.first_seq, a.event_id IS NOT NULL AS seen
      FROM (SELECT event_id, count(*) AS n, min(seq) AS first_seq
            FROM stage_events GROUP BY event_id) b
      LEFT JOIN wh_applied_events a ON a.event_id = b.event_id
      """;

  private static final String COUNT_KNOWN_DUPLICATES =
      """
      UPDATE wh_applied_events SET duplicates = wh_applied_events.duplicates + b.n
      FROM batch_ids b WHERE b.seen AND wh_applied_events.event_id = b.event_id
      """;

  private static final String NEW_EVENTS =
      """
      CREATE OR REPLACE TEMP TABLE new_events AS
      SELECT s.*, b.n - 1 AS dups
      FROM stage_events s JOIN batch_ids b ON b.event_id = s.event_id AND s.seq = b.first_seq
      WHERE NOT b.seen
      """;

  private static final String INSERT_LEDGER =
      """
      INSERT INTO wh_applied_events (event_id, order_id, version, topic, kafka_partition,
                                     kafka_offset, occurred_at, duplicates, applied_at)
      SELECT event_id, order_id, version, topic, kafka_partition, kafka_offset, occurred_at, dups,
             make_timestamp(?::BIGINT)
      FROM new_events
      """;

  /**
   * The batch folded per order (the version rule's order picks the winner) and kept where it
   * changes the stored row, with the stored row's old values for the totals.
   */
  private static final String CHANGES =
      """
      CREATE OR REPLACE TEMP TABLE changes AS
      WITH f AS (
        SELECT * FROM new_events
        QUALIFY row_number() OVER (PARTITION BY order_id ORDER BY %s) = 1)
      SELECT f.order_id, f.customer_id, f.status, f.total_cents, f.currency, f.version, f.deleted,
             f.extras, f.occurred_at,
             o.order_id IS NOT NULL AS existed, o.customer_id AS old_customer_id,
             o.status AS old_status, o.total_cents AS old_total_cents, o.deleted AS old_deleted
      FROM f LEFT JOIN wh_orders o ON o.order_id = f.order_id
      WHERE %s
      """;

  private static final String MOVE_TOTALS =
      """
      INSERT INTO wh_customer_totals (customer_id, order_count, revenue_cents)
      SELECT customer_id, sum(dc)::BIGINT, sum(dr)::BIGINT FROM (
        SELECT customer_id,
               CASE WHEN deleted THEN 0 ELSE 1 END AS dc,
               CASE WHEN deleted OR status = 'CANCELLED' THEN 0 ELSE total_cents END AS dr
        FROM total_moves
        UNION ALL
        SELECT old_customer_id,
               CASE WHEN old_deleted THEN 0 ELSE -1 END,
               CASE WHEN old_deleted OR old_status = 'CANCELLED' THEN 0 ELSE -old_total_cents END
        FROM total_moves WHERE existed
      ) d
      GROUP BY customer_id
      HAVING sum(dc) <> 0 OR sum(dr) <> 0
      ON CONFLICT (customer_id) DO UPDATE SET
        order_count = wh_customer_totals.order_count + excluded.order_count,
        revenue_cents = wh_customer_totals.revenue_cents + excluded.revenue_cents
      """;

  private static final String DROP_EMPTY_TOTALS =
      """
      DELETE FROM wh_customer_totals
      WHERE order_count = 0 AND revenue_cents = 0
        AND customer_id IN (SELECT customer_id FROM total_moves
                            UNION SELECT old_customer_id FROM total_moves WHERE existed)
      """;

  private static final String UPSERT_ORDERS =
      """
      INSERT INTO wh_orders (order_id, customer_id, status, total_cents, currency, version, deleted,
                             extras, updated_at)
      SELECT order_id, customer_id, status, total_cents, currency, version, deleted, extras,
             occurred_at
      FROM changes
      ON CONFLICT (order_id) DO UPDATE SET
      %s""";

  private static final String INSERT_DEAD_LETTER =
      """
      INSERT INTO wh_dead_letters (topic, kafka_partition, kafka_offset, event_id, reason, raw, dead_at)
      VALUES (?, ?, ?, ?, ?, ?, make_timestamp(?::BIGINT))
      ON CONFLICT DO NOTHING
      """;

  /** Steps of a batch apply, for {@link #stepMillis()}. */
  public enum Step {
    STAGE,
    LEDGER,
    FOLD,
    TOTALS,
    ORDERS,
    DEAD_LETTERS_AND_CHECKPOINTS,
    COMMIT
  }

  private final StepTimer timer = new StepTimer();
  private final Path file;
  private final DuckDBConnection conn;
  private final ApplyRules rules;
  private final CrashPoints crashPoints;
  private final Clock clock;

  private Warehouse(
      Path file, DuckDBConnection conn, ApplyRules rules, CrashPoints crashPoints, Clock clock) {
    this.file = file;
    this.conn = conn;
    this.rules = rules;
    this.crashPoints = crashPoints;
    this.clock = clock;
  }

  /** Opens (creating if needed) the correct warehouse at {@code file}. */
  public static Warehouse open(Path file) {
    return open(file, ApplyRules.CORRECT, CrashPoints.NONE, Clock.systemUTC());
  }

  /**
   * Opens (creating if needed) the warehouse at {@code file}, applying batches with {@code rules}.
   * {@code crashPoints} is reached at {@link CrashPoints#CONSUMER_MID_BATCH}; {@code clock} stamps
   * {@code applied_at}.
   */
  public static Warehouse open(Path file, ApplyRules rules, CrashPoints crashPoints, Clock clock) {
    Objects.requireNonNull(rules, "rules");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      DuckDBConnection conn =
          (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file.toAbsolutePath());
      try (Statement st = conn.createStatement()) {
        for (String sql : schemaStatements()) {
          st.execute(sql);
        }
        st.execute(STAGE_DDL);
        // temp tables of a batch need no order; lets DuckDB build them in parallel
        st.execute("SET preserve_insertion_order = false");
        // checkpoint after 256 MB of WAL instead of 16 MB: at catch-up rates a 16 MB threshold
        // rewrote the tables every few batches and made the commit the slowest step; a kill -9
        // then replays up to that much WAL on the next open, a second or two
        st.execute("SET checkpoint_threshold = '256MB'");
        // a batch is a few set-based statements over thousands of rows: intra-query parallelism
        // bought no time and cost CPU that the lake thread, the Kafka client and the servers need
        // (SinkBench, 600k events: ~12% less CPU, and faster when the machine is busy)
        st.execute("SET threads = 1");
      } catch (SQLException e) {
        conn.close();
        throw e;
      }
      return new Warehouse(file, conn, rules, crashPoints, clock);
    } catch (SQLException e) {
      throw new WarehouseException("cannot open warehouse " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of warehouse " + file, e);
    }
  }

  public Path file() {
    return file;
  }

  public ApplyRules rules() {
    return rules;
  }

  /**
   * Applies one batch. With {@link CommitRule#ONE_TRANSACTION} everything commits together or, on
   * any error or crash, nothing does.
   */
  public BatchResult applyBatch(WarehouseBatch batch) {
    return applyBatch(batch, () -> {});
  }

  /**
   * {@link #applyBatch(WarehouseBatch)}, running {@code beforeCommit} after the batch's work and
   * before its commit: what must be done before the batch may become visible (the consumer waits
   * there for the lake). If it throws, the batch is rolled back.
   */
  public BatchResult applyBatch(WarehouseBatch batch, Runnable beforeCommit) {
    long nowMicros = micros(clock.instant());
    try {
      if (rules.commitRule() == CommitRule.CHECKPOINT_FIRST) {
        saveCheckpoints(batch.checkpoints());
      }
      conn.setAutoCommit(rules.commitRule() == CommitRule.EACH_STEP);
      BatchResult result = apply(batch, nowMicros);
      beforeCommit.run();
      long t = System.nanoTime();
      if (!conn.getAutoCommit()) {
        conn.commit();
      }
      timer.lap(Step.COMMIT, t);
      return result;
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw new WarehouseException("batch failed and was rolled back: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      rollbackQuietly(e);
      throw e;
    } finally {
      try {
        conn.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is broken; the next call reports it
      }
    }
  }

  private BatchResult apply(WarehouseBatch batch, long nowMicros) throws SQLException {
    try (Statement st = conn.createStatement()) {
      long t = System.nanoTime();
      st.execute("DELETE FROM stage_events");
      stage(batch);
      t = timer.lap(Step.STAGE, t);
      st.execute(BATCH_IDS);
      if (count(st, "SELECT count(*) FROM batch_ids WHERE seen") > 0) {
        st.execute(COUNT_KNOWN_DUPLICATES);
      }
      st.execute(NEW_EVENTS);
      t = timer.lap(Step.LEDGER, t);
      st.execute(
          CHANGES.formatted(rules.versionRule().foldOrder, rules.versionRule().changeFilter));
      t = timer.lap(Step.FOLD, t);
      st.execute(rules.totalsSource().movesSql);
      st.execute(MOVE_TOTALS);
      st.execute(DROP_EMPTY_TOTALS);
      t = timer.lap(Step.TOTALS, t);
      crashPoints.reach(CrashPoints.CONSUMER_MID_BATCH);
      int changed =
          st.executeUpdate(
              UPSERT_ORDERS.formatted(rules.upsertColumns().setList)
                  + rules.versionRule().upsertGuard);
      t = timer.lap(Step.ORDERS, t);
      int applied;
      try (PreparedStatement ledger = conn.prepareStatement(INSERT_LEDGER)) {
        ledger.setLong(1, nowMicros);
        applied = ledger.executeUpdate();
      }
      t = timer.lap(Step.LEDGER, t);
      int dead = writeDeadLetters(batch, nowMicros);
      if (rules.commitRule() != CommitRule.CHECKPOINT_FIRST
          && rules.commitRule() != CommitRule.CHECKPOINT_LATER) {
        writeCheckpoints(batch.checkpoints());
      }
      timer.lap(Step.DEAD_LETTERS_AND_CHECKPOINTS, t);
      return new BatchResult(
          batch.events().size(), applied, batch.events().size() - applied, changed, dead);
    }
  }

  private void stage(WarehouseBatch batch) throws SQLException {
    if (batch.events().isEmpty()) {
      return;
    }
    try (DuckDBAppender app = conn.createAppender("temp", "main", "stage_events")) {
      int seq = 0;
      for (IncomingEvent in : batch.events()) {
        OrderEvent e = in.event();
        OrderRow s = e.state();
        app.beginRow()
            .append(seq++)
            .append(e.eventId())
            .append(s.orderId())
            .append(s.customerId())
            .append(s.status())
            .append(s.totalCents())
            .append(s.currency())
            .append(s.version())
            .append(s.deleted())
            .append(e.extras().isEmpty() ? "{}" : EventCodec.extrasJson(e))
            .appendEpochMicros(micros(e.occurredAt()))
            .append(in.topic())
            .append(in.partition())
            .append(in.offset())
            .endRow();
      }
    }
  }

  private int writeDeadLetters(WarehouseBatch batch, long nowMicros) throws SQLException {
    if (batch.deadLetters().isEmpty()) {
      return 0;
    }
    try (PreparedStatement ps = conn.prepareStatement(INSERT_DEAD_LETTER)) {
      for (DeadLetter d : batch.deadLetters()) {
        ps.setString(1, d.topic());
        ps.setInt(2, d.partition());
        ps.setLong(3, d.offset());
        ps.setString(4, d.eventId());
        ps.setString(5, d.reason());
        ps.setBytes(6, d.raw());
        ps.setLong(7, d.at() == null ? nowMicros : micros(d.at()));
        ps.executeUpdate();
      }
    }
    return batch.deadLetters().size();
  }

  /**
   * Stores checkpoints in a transaction of their own, outside any batch: only the known-bad
   * variants {@code offset-before-write} (before the batch) and {@code deferred-checkpoint} (after
   * it) do this (a checkpoint never moves back, so repeating it is harmless).
   */
  public void saveCheckpoints(List<Checkpoint> checkpoints) {
    try {
      conn.setAutoCommit(false);
      writeCheckpoints(checkpoints);
      conn.commit();
    } catch (SQLException e) {
      rollbackQuietly(e);
      throw new WarehouseException("cannot save checkpoints: " + e.getMessage(), e);
    } finally {
      try {
        conn.setAutoCommit(true);
      } catch (SQLException ignored) {
        // the connection is broken; the next call reports it
      }
    }
  }

  private void writeCheckpoints(List<Checkpoint> checkpoints) throws SQLException {
    if (checkpoints.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = conn.prepareStatement(rules.checkpointUpsert().sql())) {
      for (Checkpoint c : checkpoints) {
        ps.setString(1, c.topic());
        ps.setInt(2, c.partition());
        ps.setLong(3, c.nextOffset());
        ps.executeUpdate();
      }
    }
  }

  /** Stored checkpoints of {@code topic}, next offset by partition (-1 for a topic-wide one). */
  public Map<Integer, Long> checkpoints(String topic) {
    Map<Integer, Long> out = new HashMap<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT kafka_partition, next_offset FROM wh_checkpoints WHERE topic = ?")) {
      ps.setString(1, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getInt(1), rs.getLong(2));
        }
      }
    } catch (SQLException e) {
      throw new WarehouseException("cannot read checkpoints: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * The incarnations of {@code topic} this warehouse met, in the order it met them: topic id, and
   * the name its records are recorded under.
   */
  public Map<String, String> incarnations(String topic) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    try (PreparedStatement ps =
        conn.prepareStatement(
            "SELECT topic_id, recorded_as FROM wh_topic_incarnations WHERE topic = ?"
                + " ORDER BY first_seen, topic_id")) {
      ps.setString(1, topic);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.put(rs.getString(1), rs.getString(2));
        }
      }
    } catch (SQLException e) {
      throw new WarehouseException("cannot read topic incarnations: " + e.getMessage(), e);
    }
    return out;
  }

  /** Records that {@code topicId} of {@code topic} is recorded as {@code recordedAs}. */
  public void recordIncarnation(String topic, String topicId, String recordedAs) {
    try (PreparedStatement ps =
        conn.prepareStatement(
            "INSERT INTO wh_topic_incarnations (topic, topic_id, recorded_as, first_seen)"
                + " VALUES (?, ?, ?, make_timestamp(?::BIGINT)) ON CONFLICT DO NOTHING")) {
      ps.setString(1, topic);
      ps.setString(2, topicId);
      ps.setString(3, recordedAs);
      ps.setLong(4, clock.millis() * 1000);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new WarehouseException("cannot record a topic incarnation: " + e.getMessage(), e);
    }
  }

  /** Wall time spent per apply step since open, in milliseconds: where a batch's time goes. */
  public Map<Step, Long> stepMillis() {
    return timer.millis();
  }

  private static final class StepTimer {
    private final long[] nanos = new long[Step.values().length];

    long lap(Step step, long since) {
      long now = System.nanoTime();
      nanos[step.ordinal()] += now - since;
      return now;
    }

    Map<Step, Long> millis() {
      Map<Step, Long> out = new java.util.EnumMap<>(Step.class);
      for (Step s : Step.values()) {
        out.put(s, nanos[s.ordinal()] / 1_000_000);
      }
      return out;
    }
  }

  /** Running totals from the warehouse tables. */
  public WarehouseTotals totals() {
    return reader().totals();
  }

  /** Reads the tables through this warehouse's own connection (no second open of the file). */
  public WarehouseReader reader() {
    return new WarehouseReader(conn, false);
  }

  /**
   * A new connection to this warehouse's database for reading beside the writer (DuckDB admits one
   * process per file, but any number of connections inside it; each sees committed states only).
   */
  public java.sql.Connection readerConnection() {
    try {
      return conn.duplicate();
    } catch (SQLException e) {
      throw new WarehouseException("cannot open a reading connection: " + e.getMessage(), e);
    }
  }

  /** Flushes the WAL into the database file; optional, DuckDB also does it on close. */
  public void checkpointFile() {
    try (Statement st = conn.createStatement()) {
      st.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw new WarehouseException("CHECKPOINT failed: " + e.getMessage(), e);
    }
  }

  /**
   * Closes the warehouse after a batch failed in a way that may have left this connection's state
   * behind the file's (a commit that could not write the WAL for want of space): no checkpoint on
   * the way out, so nothing held in memory reaches the file; the next {@link #open} reads the file
   * and its WAL as they were last committed. Found by {@code disk-full-warehouse}: the same
   * connection, reused after such a failure, ran the next batch's statements as if in autocommit,
   * one by one, and a batch was half applied.
   */
  public void abandon() {
    try (Statement st = conn.createStatement()) {
      st.execute("PRAGMA disable_checkpoint_on_shutdown");
    } catch (SQLException e) {
      // closing is what matters
    }
    try {
      conn.close();
    } catch (SQLException e) {
      // the connection was broken already
    }
  }

  @Override
  public void close() {
    try {
      conn.close();
    } catch (SQLException e) {
      throw new WarehouseException("cannot close warehouse " + file + ": " + e.getMessage(), e);
    }
  }

  static long micros(Instant t) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, t);
  }

  private static int count(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private void rollbackQuietly(Exception cause) {
    try {
      if (!conn.getAutoCommit()) {
        conn.rollback();
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
  }

  static String[] schemaStatements() {
    try (InputStream in = Warehouse.class.getResourceAsStream(SCHEMA_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + SCHEMA_RESOURCE);
      }
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).replaceAll("--[^\n]*", "");
      return java.util.Arrays.stream(sql.split(";"))
          .map(String::trim)
          .filter(s -> !s.isEmpty())
          .toArray(String[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
