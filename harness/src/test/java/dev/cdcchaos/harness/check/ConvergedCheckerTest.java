package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.Fixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.model.PoisonClaim;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergedCheckerTest {

  private final Checker checker = new ConvergedChecker();

  @Test
  void healthyRunConverges() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.invariant()).isEqualTo("converged");
    assertThat(r.counts()).containsEntry("orders", 4L).containsEntry("tombstones", 1L);
  }

  /** Order 1's latest event (v2) carries schema drift: fields the envelope does not name. */
  private static Observation withDrift(Map<Long, String> warehouseExtras) {
    Observation o = Fixture.healthy();
    List<Event> outbox = new ArrayList<>();
    for (Event e : o.outbox()) {
      outbox.add(
          e.orderId() == 1 && e.version() == 2
              ? new Event(
                  e.eventId(),
                  e.idempotencyKey(),
                  e.orderId(),
                  e.type(),
                  e.version(),
                  e.schemaVersion(),
                  e.occurredAt(),
                  e.state(),
                  Map.of("channel", "web", "state.priority", 3))
              : e);
    }
    return o.toBuilder().outbox(outbox).warehouseExtras(warehouseExtras).build();
  }

  @Test
  void extrasOfTheFoldedEventInTheWarehouseConverge() {
    CheckResult r =
        checker.check(
            withDrift(
                Map.of(1L, "{\"state.priority\":3,\"channel\":\"web\"}", 2L, "{}", 3L, "{}")));
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.summary()).contains("extras equal").contains("(1 with any)");
  }

  @Test
  void droppedOrStaleExtrasAreInvalidAndShowBothSides() {
    CheckResult dropped = checker.check(withDrift(Map.of(1L, "{}", 2L, "{}", 3L, "{}")));
    assertThat(dropped.verdict()).as(dropped.summary()).isEqualTo(Verdict.INVALID);
    assertThat(dropped.summary()).contains("1 orders whose wh_orders.extras differ");
    assertThat(dropped.evidence())
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("order 1 v2")
                    .contains("\"channel\":\"web\"")
                    .contains("actual {} (wh_orders.extras)"));
    CheckResult stale =
        checker.check(withDrift(Map.of(1L, "{\"channel\":\"web\"}", 2L, "{\"x\":1}")));
    assertThat(stale.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(stale.summary()).contains("2 orders whose wh_orders.extras differ");
  }

  @Test
  void aVersionMissingFromAnOrdersLineInTheOutboxIsAChangeWithoutItsEvent() {
    Observation o = Fixture.healthy();
    List<Event> outbox =
        o.outbox().stream().filter(e -> !(e.orderId() == 1 && e.version() == 1)).toList();
    CheckResult r = checker.check(o.toBuilder().outbox(outbox).build());
    assertThat(r.verdict())
        .as("v2 of order 1 in the outbox without v1: the fold still matches, the line does not")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 orders whose version line in the outbox has gaps");
    assertThat(r.evidence())
        .anySatisfy(line -> assertThat(line).contains("order 1: the outbox holds v2 but not v1"));
  }

  @Test
  void aWarehouseWithoutAnExtrasColumnSaysSoInsteadOfComparing() {
    CheckResult r = checker.check(withDrift(null));
    assertThat(r.verdict()).isEqualTo(Verdict.VALID);
    assertThat(r.summary()).contains("extras) not compared: wh_orders has no extras column");
  }

  @Test
  void staleVersionAppliedIsInvalidAndNamesTheOrderWithBothRows() {
    Observation o = Fixture.healthy();
    OrderState stale = Fixture.event(1, 1, Event.ORDER_CREATED, 10, "NEW", 1000).state();
    CheckResult r =
        checker.check(
            o.toBuilder().warehouseOrders(Fixture.with(o.warehouseOrders(), stale)).build());
    assertThat(r.verdict())
        .as("a drained warehouse at v1 while the fold is at v2")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 orders missing or stale").contains("1");
    assertThat(r.evidence())
        .as("evidence names the order, the expected and the actual row")
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("order 1:")
                    .contains("expected {v2 customer=10 PAID 1500 EUR}")
                    .contains("actual {v1 customer=10 NEW 1000 EUR}"));
  }

  @Test
  void staleRowWhenNotDrainedIsUnknownNotInvalid() {
    Observation o = Fixture.healthy();
    OrderState stale = Fixture.event(1, 1, Event.ORDER_CREATED, 10, "NEW", 1000).state();
    CheckResult r =
        checker.check(
            o.toBuilder()
                .warehouseOrders(Fixture.with(o.warehouseOrders(), stale))
                .drained(false)
                .build());
    assertThat(r.verdict())
        .as("a consumer that is behind may just be lagging")
        .isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("did not drain");
  }

  @Test
  void missingTombstoneResurrectsTheOrder() {
    Observation o = Fixture.healthy();
    CheckResult r =
        checker.check(
            o.toBuilder().warehouseOrders(Fixture.without(o.warehouseOrders(), 3)).build());
    assertThat(r.verdict())
        .as("wh_orders must keep the tombstone of order 3")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .anySatisfy(
            line -> assertThat(line).contains("order 3:").contains("DELETED").contains("<no row>"));
  }

  @Test
  void sameVersionOtherContentIsInvalidEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    OrderState corrupt = new OrderState(1, 10, "PAID", 9999, "EUR", 2, false);
    CheckResult r =
        checker.check(
            o.toBuilder()
                .warehouseOrders(Fixture.with(o.warehouseOrders(), corrupt))
                .drained(false)
                .build());
    assertThat(r.verdict())
        .as("lag never changes the content of a version")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void orderNoEventCreatedIsInvalid() {
    Observation o = Fixture.healthy();
    OrderState ghost = new OrderState(99, 10, "NEW", 1, "EUR", 1, false);
    CheckResult r =
        checker.check(
            o.toBuilder()
                .warehouseOrders(Fixture.with(o.warehouseOrders(), ghost))
                .drained(false)
                .build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .anySatisfy(line -> assertThat(line).contains("order 99:").contains("expected <no row>"));
  }

  @Test
  void postgresDifferingFromTheFoldIsInvalid() {
    Observation o = Fixture.healthy();
    OrderState stillThere = Fixture.event(3, 1, Event.ORDER_CREATED, 20, "NEW", 3000).state();
    CheckResult r =
        checker.check(
            o.toBuilder().sourceOrders(Fixture.with(o.sourceOrders(), stillThere)).build());
    assertThat(r.verdict()).as("Postgres keeps deleted order 3").isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("Postgres orders differs");
  }

  @Test
  void evidenceListsTheFirstFiveThenACount() {
    List<Event> outbox = new ArrayList<>();
    for (long id = 1; id <= 8; id++) {
      outbox.add(event(id, 1, Event.ORDER_CREATED, 1, "NEW", 100));
    }
    Observation o =
        Fixture.correctRun(outbox, outbox).toBuilder().warehouseOrders(Map.of()).build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("8 orders").contains("1, 2, 3, 4, 5 ... and 3 more");
    assertThat(r.evidence()).hasSize(6).last().isEqualTo("... and 3 more");
  }

  private static final long POISON_ORDER = 9_000_000_001L;

  private static final OrderState POISON_STATE =
      new OrderState(POISON_ORDER, 10, "NEW", 999, "EUR", 1, false);

  /** A healthy run plus one injected poison record at cdc.orders-0@3, dead-lettered. */
  private static Observation withPoison() {
    Observation o = Fixture.healthy();
    Observation.KafkaRecord poison = Observation.KafkaRecord.of(Fixture.TOPIC, 0, 3, null);
    return o.toBuilder()
        .kafkaRecords(Fixture.plus(o.kafkaRecords(), poison))
        .injectedPoison(List.of(poison))
        .poisonClaims(
            List.of(
                new Observation.PoisonAt(
                    Fixture.TOPIC, 0, 3, new PoisonClaim("p-1", POISON_ORDER, POISON_STATE))))
        .deadLetters(List.of(new Observation.DeadLetter(Fixture.TOPIC, 0, 3, null, "not JSON")))
        .build();
  }

  private static List<Observation.CustomerTotal> totalsPlus(
      Observation o, long customer, long orders, long cents) {
    return o.customerTotals().values().stream()
        .map(
            t ->
                t.customerId() == customer
                    ? new Observation.CustomerTotal(
                        customer, t.orderCount() + orders, t.revenueCents() + cents)
                    : t)
        .toList();
  }

  @Test
  void poisonDeadLetteredIsTheExpectedOutcome() {
    CheckResult r = checker.check(withPoison());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("poison records", 1L);
  }

  @Test
  void poisonInWhOrdersIsInvalidEvenWhenNotDrainedAndNamesThePoison() {
    Observation o = withPoison();
    Observation applied =
        o.toBuilder()
            .warehouseOrders(Fixture.with(o.warehouseOrders(), POISON_STATE))
            .customerTotals(totalsPlus(o, 10, 1, 999))
            .drained(false)
            .build();
    CheckResult r = checker.check(applied);
    assertThat(r.verdict()).as("poison is never lag").isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 orders in wh_orders that only injected poison claims");
    assertThat(r.evidence())
        .contains(
            "order 9000000001: injected poison at cdc.orders-0@3 (order 9000000001) claims it;"
                + " expected <no row> (fold(outbox)), actual {v1 customer=10 NEW 999 EUR}"
                + " (wh_orders)",
            "customer 10: expected 2 orders / 1500 cents (recomputed from the source), actual 3"
                + " orders / 2499 cents (wh_customer_totals), the difference injected poison claims"
                + " at cdc.orders-0@3 (order 9000000001)");
    assertThat(r.summary())
        .as("the poison row is reported as poison, not again as an order no event created")
        .doesNotContain("no lag explains");
  }

  @Test
  void poisonInTheTotalsAloneIsInvalid() {
    Observation o = withPoison();
    CheckResult r = checker.check(o.toBuilder().customerTotals(totalsPlus(o, 10, 1, 999)).build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 customers whose wh_customer_totals differ");
  }

  @Test
  void aTotalsDifferenceThatPoisonDoesNotExplainIsLeftToNoDuplicates() {
    Observation o = withPoison();
    CheckResult r = checker.check(o.toBuilder().customerTotals(totalsPlus(o, 10, 0, 1500)).build());
    assertThat(r.verdict())
        .as("a double-counted real order is no-duplicates' finding, not poison")
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void poisonAppliedAsAnEventIsInvalid() {
    Observation o = withPoison();
    Observation applied =
        o.toBuilder()
            .ledger(
                Fixture.plus(
                    o.ledger(),
                    new Observation.AppliedEvent("p-1", POISON_ORDER, 1, Fixture.TOPIC, 0, 3, 0)))
            .build();
    CheckResult r = checker.check(applied);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .startsWith("injected poison at cdc.orders-0@3: expected dead-lettered, actual applied");
  }
}
