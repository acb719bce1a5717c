package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.Op;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CheckpointsSoundCheckerTest {

  private final Checker checker = new CheckpointsSoundChecker();

  private static Checkpoint cp(int partition, long next) {
    return new Checkpoint(Fixture.TOPIC, partition, next);
  }

  @Test
  void healthyCheckpointsAreSound() {
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpointTrail(List.of(cp(0, 1), cp(1, 2), cp(0, 3), cp(1, 4)))
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("records below checkpoints", 7L)
        .containsEntry("partitions", 2L);
  }

  @Test
  void regressingCheckpointIsInvalid() {
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpointTrail(List.of(cp(0, 1), cp(1, 3), cp(1, 2), cp(0, 3), cp(1, 4)))
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).as("partition 1 went 3 -> 2").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo("cdc.orders-1: checkpoint went from 3 back to 2");
  }

  @Test
  void rewindByARedeliverFaultIsExcused() {
    Op redeliver =
        new Op(0, 5, "nemesis", Op.Type.OK, "redeliver", Map.of("partition", 1, "offset", 1L));
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpointTrail(List.of(cp(1, 3), cp(1, 2), cp(1, 4)))
            .history(List.of(redeliver))
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict())
        .as("the harness itself rewound partition 1 to offset 1")
        .isEqualTo(Verdict.VALID);

    Observation belowRewind =
        o.toBuilder().checkpointTrail(List.of(cp(1, 3), cp(1, 0), cp(1, 4))).build();
    assertThat(checker.check(belowRewind).verdict())
        .as("a drop below the rewind target is still a regression")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void rewindTargetsCanComeAsACheckpointMap() {
    Op invoke = new Op(0, 4, "nemesis", Op.Type.INVOKE, "redeliver", Map.of("target", "consumer"));
    Op redeliver =
        new Op(1, 5, "nemesis", Op.Type.OK, "redeliver", Map.of("checkpoints", Map.of("1", 2L)));
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpointTrail(List.of(cp(1, 3), cp(1, 2), cp(0, 3), cp(0, 1), cp(1, 4)))
            .history(List.of(invoke, redeliver))
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict())
        .as("partition 1 was rewound to 2, partition 0 was not")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo("cdc.orders-0: checkpoint went from 3 back to 1");
    assertThat(r.counts()).containsEntry("regressions excused by redeliver faults", 1L);
  }

  @Test
  void redeliverWithoutTargetsExcusesEveryDropAndCountsThem() {
    Op redeliver =
        new Op(
            0,
            5,
            "nemesis",
            Op.Type.INVOKE,
            "redeliver",
            Map.of("target", "consumer", "spec", "Redeliver[rewind=ToStart[]]"));
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpointTrail(List.of(cp(1, 3), cp(1, 0), cp(0, 3), cp(0, 1)))
            .history(List.of(redeliver))
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("regressions excused by redeliver faults", 2L);
  }

  @Test
  void checkpointAheadOfTheWarehouseIsInvalidEvenWhenNotDrained() {
    Observation o = Fixture.healthy();
    Observation offsetBeforeWrite =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-4-1")))
            .drained(false)
            .build();
    CheckResult r = checker.check(offsetBeforeWrite);
    assertThat(r.verdict())
        .as("checkpoint 3 covers e-4-1 at offset 2, which was never applied")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains("cdc.orders-0@2 (event e-4-1): below checkpoint 3");
  }

  @Test
  void deadLetteredRecordsBelowTheCheckpointAreAccounted() {
    Observation o = Fixture.healthy();
    KafkaRecord poison = new KafkaRecord(Fixture.TOPIC, 0, 3, null);
    List<KafkaRecord> records = Fixture.plus(o.kafkaRecords(), poison);
    Observation withPoison =
        o.toBuilder()
            .kafkaRecords(records)
            .partitionEnds(Fixture.endsOf(records))
            .checkpoints(Fixture.endsOf(records))
            .deadLetters(List.of(new DeadLetter(Fixture.TOPIC, 0, 3, null, "not JSON")))
            .build();
    assertThat(checker.check(withPoison).verdict()).isEqualTo(Verdict.VALID);
    assertThat(checker.check(withPoison.toBuilder().deadLetters(List.of()).build()).verdict())
        .as("a poison record skipped without a dead letter")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void checkpointBeyondThePartitionEndIsInvalid() {
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpoints(List.of(cp(0, 3), cp(1, 9)))
            .drained(false)
            .build();
    CheckResult r = checker.check(o);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .anySatisfy(l -> assertThat(l).isEqualTo("cdc.orders-1: checkpoint 9, partition end 4"));
  }

  @Test
  void checkpointBehindTheEndIsInvalidWhenDrainedAndUnknownOtherwise() {
    Observation o =
        Fixture.healthy().toBuilder()
            .checkpoints(List.of(cp(0, 3), cp(1, 2)))
            .checkpointTrail(List.of(cp(1, 1)))
            .build();
    CheckResult drained = checker.check(o);
    assertThat(drained.verdict())
        .as("a drained run consumed everything")
        .isEqualTo(Verdict.INVALID);
    assertThat(drained.evidence())
        .anySatisfy(
            l ->
                assertThat(l)
                    .isEqualTo("cdc.orders-1: expected checkpoint 4 (partition end), actual 2"));
    assertThat(checker.check(o.toBuilder().drained(false).build()).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }

  @Test
  void partitionEndsDefaultToTheRecordsRead() {
    Observation o =
        Fixture.healthy().toBuilder()
            .partitionEnds(List.of())
            .checkpoints(List.of(cp(0, 3), cp(1, 5)))
            .build();
    assertThat(checker.check(o).verdict())
        .as("partition 1 holds offsets 0..3, so 5 is beyond its end")
        .isEqualTo(Verdict.INVALID);
  }
}
