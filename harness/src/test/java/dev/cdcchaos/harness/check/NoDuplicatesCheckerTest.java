package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NoDuplicatesCheckerTest {

  private final Checker checker = new NoDuplicatesChecker();

  @Test
  void healthyRunHasNoDuplicates() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("customers", 2L).containsEntry("customers differing", 0L);
  }

  @Test
  void doubleCountedCustomerTotalIsInvalid() {
    Observation o = Fixture.healthy();
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(10L, new CustomerTotal(10, 2, 3000));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).build());
    assertThat(r.verdict()).as("order 1's 1500 counted twice").isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 counted too high");
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("customer 10: expected 2 orders / 1500 cents")
        .contains("actual 2 orders / 3000 cents");
  }

  @Test
  void customersCountedTooHighAreListedFirst() {
    Observation o = Fixture.healthy();
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(10L, new CustomerTotal(10, 2, 1000));
    totals.put(20L, new CustomerTotal(20, 1, 8000));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).build());
    assertThat(r.evidence())
        .as("the double count (customer 20) is the interesting one")
        .first()
        .asString()
        .startsWith("customer 20:");
  }

  @Test
  void totalsDifferenceWhenNotDrainedIsUnknown() {
    Observation o = Fixture.healthy();
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(10L, new CustomerTotal(10, 2, 3000));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).drained(false).build());
    assertThat(r.verdict())
        .as("an unapplied cancel also shows higher totals")
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void zeroRowForACustomerEqualsNoRow() {
    Observation o = Fixture.healthy();
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(30L, new CustomerTotal(30, 0, 0));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).build());
    assertThat(r.verdict())
        .as("(30, 0, 0) is how a decremented total looks")
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void eventIdTwiceInLedgerIsInvalidEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    CheckResult r =
        checker.check(
            o.toBuilder()
                .ledger(Fixture.plus(o.ledger(), o.ledger().get(0)))
                .drained(false)
                .build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("event e-1-1 (order 1): expected 1 ledger row, actual 2");
  }

  @Test
  void aCopyOfAnEventUnderANewIdIsInvalid() {
    Observation o = Fixture.healthy();
    AppliedEvent first = o.ledger().get(0);
    AppliedEvent copy =
        new AppliedEvent(
            "copy-of-" + first.eventId(),
            first.orderId(),
            first.version(),
            first.topic(),
            first.partition(),
            first.offset() + 1000,
            0);
    CheckResult r = checker.check(o.toBuilder().ledger(Fixture.plus(o.ledger(), copy)).build());
    assertThat(r.verdict())
        .as("an applied event the outbox never held (spring-modulith#926's second resubmission)")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 applied events that the source never committed");
    assertThat(r.evidence())
        .anySatisfy(
            e ->
                assertThat(e)
                    .contains("copy-of-" + first.eventId())
                    .contains("second copy of it under a new id"));
  }

  @Test
  void twoRowsForOneOrderAreInvalid() {
    Observation o = Fixture.healthy();
    List<OrderState> rows = new ArrayList<>(o.warehouseOrders().values());
    rows.add(Fixture.byId("e-1-1").state());
    CheckResult r = checker.check(o.toBuilder().warehouseRows(rows).build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 orders with more than one wh_orders row: 1");
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("order 1: expected 1 row, actual 2");
  }
}
