package dev.cdcchaos.pipeline.source;

import static dev.cdcchaos.pipeline.source.jooq.Tables.ORDERS;
import static dev.cdcchaos.pipeline.source.jooq.Tables.OUTBOX_EVENTS;

import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.event.PoisonMessageException;
import dev.cdcchaos.pipeline.source.jooq.tables.records.OrdersRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The application's write path: each call changes {@code orders} and inserts the matching outbox
 * event in the same Postgres transaction, so a change and its event commit or vanish together.
 *
 * <p>Each event carries the full row after the change and the order's next version. Its idempotency
 * key is {@code orderId:version} unless the caller gives one in a {@link Change}; keys are unique
 * in the outbox, and a call whose key is already there returns the event written then instead of
 * changing anything, so a caller that lost a commit acknowledgement retries safely with the same
 * key.
 *
 * <p>A {@link BeforeCommit} hook, if given, runs inside each transaction after the outbox insert:
 * the place of the application's own work before its commit (and of the harness's slow commits).
 *
 * <p>{@link CrashPoints}, if given, are reached between the statements of each write: {@value
 * CrashPoints#WRITER_AFTER_ORDERS} after the {@code orders} change, {@value
 * CrashPoints#WRITER_AFTER_OUTBOX} after the outbox insert and {@value
 * CrashPoints#WRITER_BEFORE_COMMIT} after the {@link BeforeCommit} hook, just before the commit.
 * {@link Transactions#DUAL_WRITE} (a known-bad variant) commits the {@code orders} change before
 * the outbox insert, in a transaction of its own.
 *
 * <p>Not thread-safe: one writer per thread. It keeps one connection and reopens it after a
 * failure, so it survives a restarted or partitioned database.
 */
public final class OrderWriter implements AutoCloseable {

  /**
   * A write refused by the application's rules (creating an order that exists, changing one that
   * does not): it certainly did not take effect, and retrying it cannot help.
   */
  public static final class Refused extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public Refused(String message) {
      super(message);
    }
  }

  /** Status of a newly created order. */
  public static final String NEW = "NEW";

  /** Status of a cancelled order (it no longer counts towards revenue). */
  public static final String CANCELLED = "CANCELLED";

  private final DataSource dataSource;
  private final Clock clock;
  private final Supplier<UUID> eventIds;
  private final BeforeCommit beforeCommit;
  private final CrashPoints crashPoints;
  private final Transactions transactions;
  private volatile java.util.Set<String> stateColumns = java.util.Set.of();
  private Connection connection;

  public OrderWriter(DataSource dataSource) {
    this(dataSource, Clock.systemUTC(), UUID::randomUUID);
  }

  public OrderWriter(DataSource dataSource, Clock clock, Supplier<UUID> eventIds) {
    this(dataSource, clock, eventIds, BeforeCommit.NONE);
  }

  /**
   * A writer that calls {@code beforeCommit} inside each write's transaction, after the outbox
   * insert.
   */
  public OrderWriter(
      DataSource dataSource, Clock clock, Supplier<UUID> eventIds, BeforeCommit beforeCommit) {
    this(dataSource, clock, eventIds, beforeCommit, CrashPoints.NONE, Transactions.ONE);
  }

  /**
   * A writer that also reaches {@code crashPoints} between the statements of each write and puts
   * them into {@code transactions}.
   */
  public OrderWriter(
      DataSource dataSource,
      Clock clock,
      Supplier<UUID> eventIds,
      BeforeCommit beforeCommit,
      CrashPoints crashPoints,
      Transactions transactions) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.eventIds = eventIds;
    this.beforeCommit = java.util.Objects.requireNonNull(beforeCommit, "beforeCommit");
    this.crashPoints = java.util.Objects.requireNonNull(crashPoints, "crashPoints");
    this.transactions = java.util.Objects.requireNonNull(transactions, "transactions");
  }

  /** Creates an order with status {@value #NEW}. Fails if the order exists. */
  public OrderEvent create(long orderId, long customerId, long totalCents, String currency) {
    return create(orderId, customerId, totalCents, currency, Change.NONE);
  }

  public OrderEvent create(
      long orderId, long customerId, long totalCents, String currency, Change change) {
    return write(
        orderId,
        change,
        (tx, current) -> {
          if (current != null) {
            throw new Refused("order " + orderId + " already exists");
          }
          // a re-created order continues its earlier version line, so old tombstones stay older
          Long last =
              tx.select(DSL.max(OUTBOX_EVENTS.AGGREGATE_VERSION))
                  .from(OUTBOX_EVENTS)
                  .where(OUTBOX_EVENTS.AGGREGATE_ID.eq(orderId))
                  .fetchOne(0, Long.class);
          long version = last == null ? 1 : last + 1;
          return new OrderRow(orderId, customerId, NEW, totalCents, currency, version, false);
        },
        EventType.ORDER_CREATED);
  }

  /** Sets status and total. Fails if the order does not exist. */
  public OrderEvent update(long orderId, String status, long totalCents) {
    return update(orderId, status, totalCents, Change.NONE);
  }

  public OrderEvent update(long orderId, String status, long totalCents, Change change) {
    return nextVersion(orderId, change, EventType.ORDER_UPDATED, status, totalCents, false);
  }

  /** Sets the status to {@value #CANCELLED}. Fails if the order does not exist. */
  public OrderEvent cancel(long orderId) {
    return cancel(orderId, Change.NONE);
  }

  public OrderEvent cancel(long orderId, Change change) {
    return nextVersion(orderId, change, EventType.ORDER_CANCELLED, CANCELLED, null, false);
  }

  /**
   * Removes the order from {@code orders}; the event's state is a tombstone (the last row, {@code
   * deleted = true}). Fails if the order does not exist.
   */
  public OrderEvent delete(long orderId) {
    return delete(orderId, Change.NONE);
  }

  public OrderEvent delete(long orderId, Change change) {
    return nextVersion(orderId, change, EventType.ORDER_DELETED, null, null, true);
  }

  /**
   * Writes the next version of an existing order: {@code status} and {@code totalCents} replace the
   * current ones unless null, customer and currency stay. Fails if the order does not exist.
   */
  private OrderEvent nextVersion(
      long orderId,
      Change change,
      EventType type,
      String status,
      Long totalCents,
      boolean deleted) {
    return write(
        orderId,
        change,
        (tx, current) -> {
          OrderRow row = existing(orderId, current);
          return new OrderRow(
              orderId,
              row.customerId(),
              status == null ? row.status() : status,
              totalCents == null ? row.totalCents() : totalCents,
              row.currency(),
              row.version() + 1,
              deleted);
        },
        type);
  }

  /** The order's current row, empty if it does not exist (never created, or deleted). */
  public java.util.Optional<OrderRow> current(long orderId) {
    try {
      connection().setAutoCommit(true);
      OrdersRecord r =
          DSL.using(connection(), SQLDialect.POSTGRES)
              .selectFrom(ORDERS)
              .where(ORDERS.ORDER_ID.eq(orderId))
              .fetchOne();
      return r == null ? java.util.Optional.empty() : java.util.Optional.of(existing(orderId, r));
    } catch (SQLException | RuntimeException e) {
      dropConnection();
      throw e instanceof RuntimeException re ? re : new DataAccessException(e.getMessage(), e);
    }
  }

  /**
   * Columns of {@code orders} this writer fills besides the ones it was built for (an application
   * upgraded after a column was added): for each name {@code x}, a change's extra field {@code
   * state.x} is written to the column {@code x} of the order's row, in the same transaction as the
   * event that carries it.
   */
  public void stateColumns(java.util.Set<String> names) {
    for (String n : names) {
      if (!n.matches("[a-z_][a-z0-9_]*")) {
        throw new IllegalArgumentException("not a column name: " + n);
      }
    }
    this.stateColumns = java.util.Set.copyOf(names);
  }

  @Override
  public void close() {
    dropConnection();
  }

  @FunctionalInterface
  private interface NextState {
    OrderRow next(DSLContext tx, OrdersRecord current);
  }

  private OrderEvent write(long orderId, Change change, NextState nextState, EventType type) {
    DSLContext db = DSL.using(connection(), SQLDialect.POSTGRES);
    try {
      if (transactions == Transactions.ONE) {
        return db.transactionResult(
            cfg -> {
              DSLContext tx = cfg.dsl();
              OrderEvent written = alreadyWritten(tx, change);
              if (written != null) {
                return written;
              }
              OrderEvent event = changeOrder(tx, orderId, change, nextState, type);
              crashPoints.reach(CrashPoints.WRITER_AFTER_ORDERS);
              insertOutbox(tx, event);
              return event;
            });
      }
      // the dual write: the order's change commits on its own, its event follows in a second
      // transaction
      OrderEvent[] written = new OrderEvent[1];
      OrderEvent event =
          db.transactionResult(
              cfg -> {
                DSLContext tx = cfg.dsl();
                written[0] = alreadyWritten(tx, change);
                return written[0] != null
                    ? written[0]
                    : changeOrder(tx, orderId, change, nextState, type);
              });
      if (written[0] != null) {
        return event;
      }
      crashPoints.reach(CrashPoints.WRITER_AFTER_ORDERS);
      return db.transactionResult(
          cfg -> {
            insertOutbox(cfg.dsl(), event);
            return event;
          });
    } catch (RuntimeException e) {
      if (!connectionUsable()) {
        dropConnection();
      }
      throw e;
    }
  }

  /** The event written earlier under the change's idempotency key, or null. */
  private static OrderEvent alreadyWritten(DSLContext tx, Change change) {
    if (change.idempotencyKey() == null) {
      return null;
    }
    String written =
        tx.select(OUTBOX_EVENTS.PAYLOAD)
            .from(OUTBOX_EVENTS)
            .where(OUTBOX_EVENTS.IDEMPOTENCY_KEY.eq(change.idempotencyKey()))
            .fetchOne(OUTBOX_EVENTS.PAYLOAD);
    return written == null ? null : decode(written);
  }

  /** Locks the order's row, writes its next state to {@code orders} and returns the event. */
  private OrderEvent changeOrder(
      DSLContext tx, long orderId, Change change, NextState nextState, EventType type) {
    OrdersRecord current =
        tx.selectFrom(ORDERS).where(ORDERS.ORDER_ID.eq(orderId)).forUpdate().fetchOne();
    OrderRow row = nextState.next(tx, current);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    OrderEvent event =
        new OrderEvent(
            eventIds.get().toString(),
            change.idempotencyKey() != null
                ? change.idempotencyKey()
                : orderId + ":" + row.version(),
            orderId,
            type,
            row.version(),
            EventCodec.SCHEMA_VERSION,
            now,
            row,
            change.extras());
    if (row.deleted()) {
      tx.deleteFrom(ORDERS).where(ORDERS.ORDER_ID.eq(orderId)).execute();
    } else if (current == null) {
      tx.insertInto(ORDERS).set(ordersRecord(row, now)).execute();
    } else {
      tx.update(ORDERS).set(ordersRecord(row, now)).where(ORDERS.ORDER_ID.eq(orderId)).execute();
    }
    if (!row.deleted()) {
      for (String column : stateColumns) {
        Object value = change.extras().get("state." + column);
        if (value != null) {
          tx.update(DSL.table(DSL.name("orders")))
              .set(DSL.field(DSL.name(column), Object.class), value)
              .where(DSL.field(DSL.name("order_id"), Long.class).eq(orderId))
              .execute();
        }
      }
    }
    return event;
  }

  /** Inserts {@code event} into the outbox, then runs the hook; the caller commits. */
  private void insertOutbox(DSLContext tx, OrderEvent event) {
    long outboxId =
        tx.insertInto(OUTBOX_EVENTS)
            .set(OUTBOX_EVENTS.EVENT_ID, UUID.fromString(event.eventId()))
            .set(OUTBOX_EVENTS.IDEMPOTENCY_KEY, event.idempotencyKey())
            .set(OUTBOX_EVENTS.AGGREGATE_ID, event.orderId())
            .set(OUTBOX_EVENTS.EVENT_TYPE, event.type().name())
            .set(OUTBOX_EVENTS.AGGREGATE_VERSION, event.version())
            .set(OUTBOX_EVENTS.SCHEMA_VERSION, event.schemaVersion())
            .set(OUTBOX_EVENTS.OCCURRED_AT, event.occurredAt().atOffset(ZoneOffset.UTC))
            .set(OUTBOX_EVENTS.PAYLOAD, EventCodec.encodeToString(event))
            .returning(OUTBOX_EVENTS.ID)
            .fetchOne(OUTBOX_EVENTS.ID);
    crashPoints.reach(CrashPoints.WRITER_AFTER_OUTBOX);
    beforeCommit.beforeCommit(outboxId, event);
    crashPoints.reach(CrashPoints.WRITER_BEFORE_COMMIT);
  }

  private static OrdersRecord ordersRecord(OrderRow row, Instant now) {
    OrdersRecord r = new OrdersRecord();
    r.setOrderId(row.orderId());
    r.setCustomerId(row.customerId());
    r.setStatus(row.status());
    r.setTotalCents(row.totalCents());
    r.setCurrency(row.currency());
    r.setVersion(row.version());
    r.setUpdatedAt(now.atOffset(ZoneOffset.UTC));
    return r;
  }

  private static OrderRow existing(long orderId, OrdersRecord current) {
    if (current == null) {
      throw new Refused("order " + orderId + " does not exist");
    }
    return new OrderRow(
        current.getOrderId(),
        current.getCustomerId(),
        current.getStatus(),
        current.getTotalCents(),
        current.getCurrency(),
        current.getVersion(),
        false);
  }

  private static OrderEvent decode(String payload) {
    try {
      return EventCodec.decode(payload.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    } catch (PoisonMessageException e) {
      throw new IllegalStateException("outbox holds an undecodable event: " + e.getMessage(), e);
    }
  }

  private Connection connection() {
    if (connection == null) {
      try {
        connection = dataSource.getConnection();
      } catch (SQLException e) {
        throw new DataAccessException(
            "cannot connect to the source database: " + e.getMessage(), e);
      }
    }
    return connection;
  }

  private boolean connectionUsable() {
    try {
      return connection != null && connection.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private void dropConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // the connection is being discarded either way
      }
      connection = null;
    }
  }
}
