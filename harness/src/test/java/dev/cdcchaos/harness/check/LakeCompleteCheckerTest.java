package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import java.util.List;
import org.junit.jupiter.api.Test;

class LakeCompleteCheckerTest {

  private final Checker checker = new LakeCompleteChecker();

  @Test
  void healthyLakeHoldsEachRecordOnce() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("kafka records", 7L).containsEntry("lake rows", 7L);
  }

  @Test
  void recordWrittenTwiceUnderTwoFileNamesIsInvalid() {
    Observation o = Fixture.healthy();
    LakeRecord first = o.lake().get(0);
    LakeRecord again =
        new LakeRecord(
            "lake/orders/date=2026-11-24/random-1234.parquet",
            first.topic(),
            first.partition(),
            first.offset(),
            first.eventId());
    CheckResult r =
        checker.check(o.toBuilder().lake(Fixture.plus(o.lake(), again)).drained(false).build());
    assertThat(r.verdict())
        .as("a replayed batch appended under a new name")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("cdc.orders-1@0")
        .contains("expected 1 lake row, actual 2")
        .contains("random-1234.parquet");
  }

  @Test
  void aRowUnderAnotherDateThanItsEventsIsInvalid() {
    Observation o = Fixture.healthy();
    LakeRecord first = o.lake().get(0);
    LakeRecord moved =
        new LakeRecord(
            "lake/orders/date=2026-11-23/"
                + first.topic()
                + "-"
                + first.partition()
                + "-0-0.parquet",
            first.topic(),
            first.partition(),
            first.offset(),
            first.eventId());
    List<LakeRecord> lake = Fixture.plus(Fixture.without(o.lake(), l -> l == first), moved);
    CheckResult r = checker.check(o.toBuilder().lake(lake).build());
    assertThat(r.verdict())
        .as("an event of 2026-11-24 under 2026-11-23")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.counts()).containsEntry("rows under another date", 1L);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("expected under date=2026-11-24")
        .contains("date=2026-11-23");
  }

  @Test
  void missingRecordAfterDrainIsInvalid() {
    Observation o = Fixture.healthy();
    // the checkpoint says partition 0 was consumed to offset 2 only, so offset 2 could be lag...
    List<Checkpoint> cps =
        List.of(new Checkpoint(Fixture.TOPIC, 0, 2), new Checkpoint(Fixture.TOPIC, 1, 4));
    Observation missing =
        o.toBuilder()
            .checkpoints(cps)
            .lake(Fixture.without(o.lake(), l -> l.partition() == 0 && l.offset() == 2))
            .build();
    CheckResult r = checker.check(missing);
    assertThat(r.verdict()).as("...but the run drained").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .anySatisfy(l -> assertThat(l).contains("cdc.orders-0@2").contains("actual 0"));

    CheckResult lagging = checker.check(missing.toBuilder().drained(false).build());
    assertThat(lagging.verdict())
        .as("above the checkpoint of an undrained run: maybe lag")
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void missingRecordBelowTheCheckpointIsInvalidEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    Observation missing =
        o.toBuilder()
            .lake(Fixture.without(o.lake(), l -> l.partition() == 0 && l.offset() == 1))
            .drained(false)
            .build();
    CheckResult r = checker.check(missing);
    assertThat(r.verdict())
        .as("the consumer writes the lake before it checkpoints")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("below the checkpoint");
  }

  @Test
  void injectedPoisonMustBeInTheLakeToo() {
    Observation o = Fixture.healthy();
    KafkaRecord poison = new KafkaRecord(Fixture.TOPIC, 0, 3, null);
    List<KafkaRecord> records = Fixture.plus(o.kafkaRecords(), poison);
    Observation withPoison =
        o.toBuilder()
            .kafkaRecords(records)
            .injectedPoison(List.of(poison))
            .partitionEnds(Fixture.endsOf(records))
            .checkpoints(Fixture.endsOf(records))
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 3, null, "not JSON")))
            .build();
    CheckResult missing = checker.check(withPoison);
    assertThat(missing.verdict())
        .as("poison below the checkpoint but not in the lake")
        .isEqualTo(Verdict.INVALID);
    assertThat(missing.evidence())
        .anySatisfy(l -> assertThat(l).contains("cdc.orders-0@3 (injected poison)"));

    LakeRecord raw = new LakeRecord("f.parquet", Fixture.TOPIC, 0, 3, null);
    CheckResult present =
        checker.check(withPoison.toBuilder().lake(Fixture.plus(o.lake(), raw)).build());
    assertThat(present.verdict()).as(present.summary()).isEqualTo(Verdict.VALID);
    assertThat(present.counts()).containsEntry("poison records", 1L);
  }

  @Test
  void lakeRowWithoutKafkaRecordIsInvalid() {
    Observation o = Fixture.healthy();
    LakeRecord ghost = new LakeRecord("f.parquet", Fixture.TOPIC, 1, 99, "e-1-2");
    CheckResult r = checker.check(o.toBuilder().lake(Fixture.plus(o.lake(), ghost)).build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("no Kafka record");
  }
}
