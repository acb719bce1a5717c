package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountingCheckerTest {

  private final Checker checker = new AccountingChecker();

  @Test
  void healthyRunDeliversEveryEventOnce() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("delivered-once", 7L)
        .containsEntry("lost", 0L)
        .containsEntry("stage:committed", 7L)
        .containsEntry("stage:published", 7L)
        .containsEntry("stage:lake", 7L)
        .containsEntry("stage:applied", 7L);
  }

  @Test
  void duplicateDeliveriesAbsorbedByTheLedgerAreValid() {
    List<Event> delivered = new ArrayList<>(Fixture.outbox());
    delivered.add(Fixture.byId("e-1-1"));
    delivered.add(Fixture.byId("e-4-1"));
    CheckResult r = checker.check(Fixture.correctRun(Fixture.outbox(), delivered));
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("duplicate-absorbed", 2L)
        .containsEntry("delivered-once", 5L);
  }

  @Test
  void reorderedEventsThatConvergeAreValid() {
    List<Event> delivered = new ArrayList<>(Fixture.outbox());
    delivered.remove(Fixture.byId("e-1-1"));
    delivered.add(Fixture.byId("e-1-1"));
    CheckResult r = checker.check(Fixture.correctRun(Fixture.outbox(), delivered));
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("reordered-converged", 1L);
  }

  @Test
  void staleVersionAppliedAfterReorderLosesTheNewerEvent() {
    List<Event> delivered = new ArrayList<>(Fixture.outbox());
    delivered.remove(Fixture.byId("e-1-1"));
    delivered.add(Fixture.byId("e-1-1"));
    Observation o = Fixture.correctRun(Fixture.outbox(), delivered);
    Observation noVersionGuard =
        o.toBuilder()
            .warehouseOrders(Fixture.with(o.warehouseOrders(), Fixture.byId("e-1-1").state()))
            .build();
    CheckResult r = checker.check(noVersionGuard);
    assertThat(r.verdict()).as("v1 arrived last and overwrote v2").isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("lost", 1L).containsEntry("reordered-diverged", 1L);
    assertThat(r.evidence())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("order 1 v2 ORDER_UPDATED event e-1-2: applied but overwritten"));
  }

  @Test
  void duplicateThatInflatesTheCustomerTotalIsVisible() {
    List<Event> delivered = new ArrayList<>(Fixture.outbox());
    delivered.add(Fixture.byId("e-4-1"));
    Observation o = Fixture.correctRun(Fixture.outbox(), delivered);
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(20L, new CustomerTotal(20, 2, 8000));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).build());
    assertThat(r.verdict())
        .as("the second e-4-1 was added to customer 20 again")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("duplicate-visible", 1L);
    assertThat(r.evidence())
        .anySatisfy(
            l -> assertThat(l).contains("e-4-1").contains("customer 20 total counted too high"));
  }

  @Test
  void reorderedEventThatMovedTheTotalsIsDiverged() {
    List<Event> delivered = new ArrayList<>(Fixture.outbox());
    delivered.remove(Fixture.byId("e-1-1"));
    delivered.add(Fixture.byId("e-1-1"));
    Observation o = Fixture.correctRun(Fixture.outbox(), delivered);
    Map<Long, CustomerTotal> totals = new HashMap<>(o.customerTotals());
    totals.put(10L, new CustomerTotal(10, 2, 1000));
    CheckResult r = checker.check(o.toBuilder().customerTotals(totals).build());
    assertThat(r.verdict())
        .as("the row converged, but the late v1 moved customer 10's revenue back to 1000")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("reordered-diverged", 1L);
    assertThat(r.evidence())
        .anySatisfy(
            l ->
                assertThat(l)
                    .contains("e-1-1")
                    .contains("customer 10 total differs from the source"));
  }

  @Test
  void eventNeverAppliedIsLostWhenDrainedUnknownOtherwise() {
    Observation o = Fixture.healthy();
    Observation lost =
        o.toBuilder().ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-2-2"))).build();
    CheckResult r = checker.check(lost);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("lost", 1L);
    assertThat(checker.check(lost.toBuilder().drained(false).build()).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void markedPublishedButNeverSentIsLostEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    Observation markAll =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-2-2")))
            .kafkaRecords(Fixture.without(o.kafkaRecords(), k -> "e-2-2".equals(k.eventId())))
            .markedPublished(List.of("e-2-2"))
            .drained(false)
            .build();
    CheckResult r = checker.check(markAll);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("lost", 1L);
    assertThat(r.summary()).contains("lost for good");
  }

  @Test
  void acknowledgedWriteWithoutOutboxEventIsLostAtTheSource() {
    Op acked =
        new Op(3, 100, "writer-1", Op.Type.OK, "update", Map.of("orderId", 4L, "version", 2L));
    Op failed =
        new Op(4, 110, "writer-2", Op.Type.FAIL, "update", Map.of("orderId", 4L, "version", 3L));
    CheckResult r =
        checker.check(Fixture.healthy().toBuilder().history(List.of(acked, failed)).build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo(
            "order 4 v2: writer-1 update acknowledged (history op 3), expected an outbox event, actual none");
  }

  @Test
  void aValidEventThatWasDeadLetteredIsAViolationNamingTheEventAndTheReason() {
    Observation o = Fixture.healthy();
    Observation dl =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .deadLetters(
                List.of(
                    new Observation.DeadLetter(
                        Fixture.TOPIC, 0, 2, null, "field 'orderId' must be an integer")))
            .drained(false)
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict())
        .as("dead letters are for poison only; a committed outbox event there is a mistake")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 committed events dead-lettered");
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo(
            "order 4 v1 ORDER_CREATED event e-4-1: expected applied, actual dead-lettered at"
                + " cdc.orders-0@2 with reason 'field 'orderId' must be an integer'");
    assertThat(r.counts())
        .containsEntry(AccountingChecker.DEAD_LETTERED, 1L)
        .containsEntry("stage:dead-lettered", 1L);
  }

  @Test
  void poisonDeadLetteredLeavesEveryEventDeliveredOnce() {
    Observation o = Fixture.healthy();
    Observation.KafkaRecord poison = Observation.KafkaRecord.of(Fixture.TOPIC, 0, 3, null);
    Observation dl =
        o.toBuilder()
            .kafkaRecords(Fixture.plus(o.kafkaRecords(), poison))
            .injectedPoison(List.of(poison))
            .deadLetters(List.of(new Observation.DeadLetter(Fixture.TOPIC, 0, 3, null, "not JSON")))
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("delivered-once", 7L)
        .containsEntry(AccountingChecker.DEAD_LETTERED, 0L);
  }
}
