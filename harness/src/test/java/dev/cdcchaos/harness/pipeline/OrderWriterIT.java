package dev.cdcchaos.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.source.Change;
import dev.cdcchaos.pipeline.source.OrderWriter;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The write path against a real Postgres: a change and its outbox event commit together. */
class OrderWriterIT {

  private static DataSource source;
  private OrderWriter writer;

  @BeforeAll
  static void database() throws Exception {
    LocalInfrastructure infra = LocalInfrastructure.shared(1);
    source = SourceDatabase.dataSource(infra.directJdbcUrl(infra.newDatabase("order_writer")));
    SourceSchema.apply(source);
    SourceSchema.apply(source);
  }

  @BeforeEach
  void clean() throws Exception {
    try (Connection c = source.getConnection()) {
      c.createStatement().execute("TRUNCATE orders, outbox_events");
    }
    writer = new OrderWriter(source);
  }

  @Test
  void eachChangeWritesTheRowAndOneOutboxEventWithTheNextVersion() throws Exception {
    OrderEvent created = writer.create(1, 10, 500, "EUR");
    OrderEvent updated = writer.update(1, "PAID", 700);
    OrderEvent cancelled = writer.cancel(1);
    OrderEvent deleted = writer.delete(1);

    assertThat(List.of(created, updated, cancelled, deleted))
        .extracting(OrderEvent::version, OrderEvent::type)
        .as("versions increment per change")
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, EventType.ORDER_CREATED),
            org.assertj.core.groups.Tuple.tuple(2L, EventType.ORDER_UPDATED),
            org.assertj.core.groups.Tuple.tuple(3L, EventType.ORDER_CANCELLED),
            org.assertj.core.groups.Tuple.tuple(4L, EventType.ORDER_DELETED));
    assertThat(deleted.state())
        .as("a delete is a tombstone of the last state")
        .isEqualTo(new OrderRow(1, 10, "CANCELLED", 700, "EUR", 4, true));
    assertThat(writer.current(1)).as("the deleted order has no source row").isEmpty();
    assertThat(outbox())
        .as("the outbox holds every event, byte for byte as returned")
        .containsExactly(created, updated, cancelled, deleted);
    assertThat(outboxKeys()).containsExactly("1:1", "1:2", "1:3", "1:4");
  }

  @Test
  void sourceRowEqualsTheLastEventsState() {
    writer.create(2, 20, 100, "USD");
    OrderEvent last = writer.update(2, "SHIPPED", 150);
    assertThat(writer.current(2))
        .as("orders row = state of the latest event")
        .contains(last.state());
  }

  @Test
  void aRetryWithTheSameKeyReturnsTheFirstEventAndWritesNothing() throws Exception {
    writer.create(3, 30, 100, "EUR");
    OrderEvent first = writer.update(3, "PAID", 200, Change.key("retry-me"));
    OrderEvent retried = writer.update(3, "PAID", 200, Change.key("retry-me"));
    assertThat(retried).as("the retry after a lost commit ack is the same event").isEqualTo(first);
    assertThat(outbox()).as("one outbox row per logical change").hasSize(2);
    assertThat(writer.current(3).orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void extrasTravelInThePayload() throws Exception {
    OrderEvent e =
        writer.create(
            4, 40, 100, "EUR", Change.extras(Map.of("channel", "web", "state.note", "gift")));
    assertThat(outbox()).containsExactly(e);
    assertThat(e.extras()).containsEntry("channel", "web").containsEntry("state.note", "gift");
  }

  @Test
  void anExtraFieldHoldingJsonNullIsWrittenAndKept() throws Exception {
    Map<String, Object> extras = new java.util.LinkedHashMap<>();
    extras.put("coupon", null);
    extras.put("channel", "app");
    OrderEvent e = writer.create(6, 60, 100, "EUR", Change.extras(extras));
    assertThat(outbox()).as("the outbox payload decodes to the same event").containsExactly(e);
    assertThat(e.extras()).as("a null value is kept, not an error").containsEntry("coupon", null);
  }

  @Test
  void aRecreatedOrderContinuesItsVersionLine() {
    writer.create(5, 50, 100, "EUR");
    writer.delete(5);
    OrderEvent again = writer.create(5, 51, 300, "EUR");
    assertThat(again.version())
        .as("a new life must outrank the tombstone (version 2) under the version guard")
        .isEqualTo(3);
  }

  @Test
  void changesToMissingOrdersAndDoubleCreatesFailWithoutWriting() throws Exception {
    writer.create(6, 60, 100, "EUR");
    assertThatThrownBy(() -> writer.update(999, "PAID", 1)).hasMessageContaining("999");
    assertThatThrownBy(() -> writer.create(6, 60, 100, "EUR"))
        .hasMessageContaining("already exists");
    assertThat(outbox()).as("failed changes leave no event").hasSize(1);
    assertThat(writer.update(6, "PAID", 1).version()).as("the writer still works").isEqualTo(2);
  }

  @Test
  void theBeforeCommitHookRunsInsideTheTransactionSoALowerIdCommitsAfterAHigherOne()
      throws Exception {
    List<Long> idsSeenInside = new ArrayList<>();
    List<Long> committedWhileHeld = new ArrayList<>();
    try (OrderWriter other = new OrderWriter(source);
        OrderWriter slow =
            new OrderWriter(
                source,
                java.time.Clock.systemUTC(),
                java.util.UUID::randomUUID,
                (outboxId, event) -> {
                  try {
                    idsSeenInside.add(outboxId);
                    assertThat(outboxIds())
                        .as("the held event is invisible to others until it commits")
                        .doesNotContain(outboxId);
                    other.create(8, 80, 100, "EUR");
                    committedWhileHeld.addAll(outboxIds());
                    java.util.concurrent.CompletableFuture.runAsync(
                            () -> {
                              try {
                                SourceSchema.apply(source);
                              } catch (java.sql.SQLException e) {
                                throw new IllegalStateException(e);
                              }
                            })
                        .get(20, java.util.concurrent.TimeUnit.SECONDS);
                  } catch (java.util.concurrent.TimeoutException e) {
                    throw new AssertionError(
                        "applying the schema on a started database must not wait for an open"
                            + " writer transaction (a restarting publisher would block every"
                            + " write behind its table lock)",
                        e);
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })) {
      OrderEvent held = slow.create(7, 70, 100, "EUR");

      assertThat(idsSeenInside).as("the hook got the outbox id of the insert").hasSize(1);
      long heldId = idsSeenInside.get(0);
      assertThat(committedWhileHeld)
          .as("another writer committed a higher id while the lower one was held")
          .singleElement()
          .satisfies(id -> assertThat(id).isGreaterThan(heldId));
      assertThat(outboxIds())
          .as("after the hook returned, the held id committed too")
          .contains(heldId);
      assertThat(outbox()).contains(held);
    }
  }

  private static List<Long> outboxIds() throws Exception {
    List<Long> ids = new ArrayList<>();
    try (Connection c = source.getConnection();
        ResultSet rs =
            c.createStatement().executeQuery("SELECT id FROM outbox_events ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static List<OrderEvent> outbox() throws Exception {
    List<OrderEvent> events = new ArrayList<>();
    try (Connection c = source.getConnection();
        ResultSet rs =
            c.createStatement().executeQuery("SELECT payload FROM outbox_events ORDER BY id")) {
      while (rs.next()) {
        events.add(EventCodec.decode(rs.getString(1).getBytes(StandardCharsets.UTF_8)));
      }
    }
    return events;
  }

  private static List<String> outboxKeys() throws Exception {
    List<String> keys = new ArrayList<>();
    try (Connection c = source.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery("SELECT idempotency_key FROM outbox_events ORDER BY id")) {
      while (rs.next()) {
        keys.add(rs.getString(1));
      }
    }
    return keys;
  }
}
