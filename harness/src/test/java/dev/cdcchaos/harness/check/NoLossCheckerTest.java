package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class NoLossCheckerTest {

  private final Checker checker = new NoLossChecker();

  @Test
  void healthyRunLosesNothing() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("committed", 7L)
        .containsEntry("applied", 7L)
        .containsEntry("missing", 0L);
  }

  @Test
  void eventNeverAppliedIsInvalidAndSaysHowFarItGot() {
    Observation o = Fixture.healthy();
    Observation lost =
        o.toBuilder().ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-1-2"))).build();
    CheckResult r = checker.check(lost);
    assertThat(r.verdict()).as("e-1-2 is in Kafka but never applied").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("order 1 v2 ORDER_UPDATED event e-1-2")
        .contains("in Kafka: yes")
        .contains("in lake: yes");
  }

  @Test
  void eventNeverPublishedWhenNotDrainedIsUnknown() {
    Observation o = Fixture.healthy();
    Observation behind =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .kafkaRecords(Fixture.without(o.kafkaRecords(), k -> "e-4-1".equals(k.eventId())))
            .drained(false)
            .build();
    CheckResult r = checker.check(behind);
    assertThat(r.verdict()).as("the publisher may still be on its way").isEqualTo(Verdict.UNKNOWN);
    assertThat(r.evidence()).singleElement().asString().contains("in Kafka: no");
  }

  @Test
  void eventMarkedPublishedButNeverSentIsLostEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    Observation markBeforeSend =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .kafkaRecords(Fixture.without(o.kafkaRecords(), k -> "e-4-1".equals(k.eventId())))
            .markedPublished(o.outbox().stream().map(e -> e.eventId()).toList())
            .drained(false)
            .build();
    CheckResult r = checker.check(markBeforeSend);
    assertThat(r.verdict()).as("nobody will ever send e-4-1 again").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo(
            "order 4 v1 ORDER_CREATED event e-4-1: outbox row marked published, expected in Kafka, actual absent");

    Observation unmarked = markBeforeSend.toBuilder().markedPublished(java.util.List.of()).build();
    assertThat(checker.check(unmarked).verdict())
        .as("not marked: the publisher may still send it")
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void aValidEventThatWasDeadLetteredIsLostAndTheEvidenceNamesItAndTheReason() {
    Observation o = Fixture.healthy();
    Observation dl =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .deadLetters(
                List.of(new DeadLetter(Fixture.TOPIC, 0, 2, "e-4-1", "field 'state' missing")))
            .drained(false)
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict())
        .as("a committed outbox event is valid: dead-lettering it loses it, drained or not")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo(
            "order 4 v1 ORDER_CREATED event e-4-1: expected applied, actual dead-lettered at"
                + " cdc.orders-0@2 with reason 'field 'state' missing'");
    assertThat(r.counts()).containsEntry("dead-lettered", 1L).containsEntry("missing", 0L);
  }

  @Test
  void aValidEventDeadLetteredWithoutItsIdIsFoundByTheKafkaRecordAtItsCoordinates() {
    Observation o = Fixture.healthy();
    Observation dl =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 2, null, "not JSON: oops")))
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict())
        .as("the pipeline could not parse cdc.orders-0@2, the harness reads it as e-4-1")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("event e-4-1: expected applied, actual dead-lettered at cdc.orders-0@2")
        .contains("'not JSON: oops'");
  }

  @Test
  void aValidEventDeadLetteredWhileAnotherCopyWasAppliedIsStillInvalid() {
    Observation o = Fixture.healthy();
    Observation dl =
        o.toBuilder()
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 2, "e-4-1", "too slow")))
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence()).singleElement().asString().endsWith("(another copy was applied)");
  }

  @Test
  void poisonDeadLetteredWithAReasonIsTheExpectedOutcome() {
    Observation o = Fixture.healthy();
    KafkaRecord poison = KafkaRecord.of(Fixture.TOPIC, 0, 3, null);
    Observation dl =
        o.toBuilder()
            .kafkaRecords(Fixture.plus(o.kafkaRecords(), poison))
            .injectedPoison(List.of(poison))
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 3, null, "not JSON")))
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("dead-lettered", 0L);
  }

  @Test
  void aRunWithoutEventsTestedNothing() {
    CheckResult r = checker.check(Observation.builder().drained(true).build());
    assertThat(r.verdict()).as("an empty run is not a pass").isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("nothing was tested");
  }

  @Test
  void deadLetterWithoutReasonIsInvalid() {
    Observation o = Fixture.healthy();
    KafkaRecord poison = KafkaRecord.of(Fixture.TOPIC, 0, 3, null);
    Observation dl =
        o.toBuilder()
            .kafkaRecords(Fixture.plus(o.kafkaRecords(), poison))
            .injectedPoison(List.of(poison))
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 3, null, " ")))
            .drained(false)
            .build();
    CheckResult r = checker.check(dl);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).isEqualTo("1 dead letters without a reason");
  }
}
