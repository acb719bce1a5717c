package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.Fixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
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

  @Test
  void staleVersionAppliedIsInvalidAndNamesTheOrderWithBothRows() {
    Observation o = Fixture.healthy();
    OrderRow stale = Fixture.event(1, 1, EventType.ORDER_CREATED, 10, "NEW", 1000).state();
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
    OrderRow stale = Fixture.event(1, 1, EventType.ORDER_CREATED, 10, "NEW", 1000).state();
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
    OrderRow corrupt = new OrderRow(1, 10, "PAID", 9999, "EUR", 2, false);
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
    OrderRow ghost = new OrderRow(99, 10, "NEW", 1, "EUR", 1, false);
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
    OrderRow stillThere = Fixture.event(3, 1, EventType.ORDER_CREATED, 20, "NEW", 3000).state();
    CheckResult r =
        checker.check(
            o.toBuilder().sourceOrders(Fixture.with(o.sourceOrders(), stillThere)).build());
    assertThat(r.verdict()).as("Postgres keeps deleted order 3").isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("Postgres orders differs");
  }

  @Test
  void evidenceListsTheFirstFiveThenACount() {
    List<OrderEvent> outbox = new ArrayList<>();
    for (long id = 1; id <= 8; id++) {
      outbox.add(event(id, 1, EventType.ORDER_CREATED, 1, "NEW", 100));
    }
    Observation o =
        Fixture.correctRun(outbox, outbox).toBuilder().warehouseOrders(Map.of()).build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("8 orders").contains("1, 2, 3, 4, 5 ... and 3 more");
    assertThat(r.evidence()).hasSize(6).last().isEqualTo("... and 3 more");
  }
}
