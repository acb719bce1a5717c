package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.OrderState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayEquivalentCheckerTest {

  private final Checker checker = new ReplayEquivalentChecker();

  @Test
  void replaysEqualToTheModelAndTheWarehouseAreValid() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("model orders", 4L)
        .containsEntry("lake replay rows", 4L)
        .containsEntry("kafka replay rows", 4L)
        .containsEntry("lake replay mismatches with the model", 0L);
  }

  @Test
  void replayFromLakeDifferingIsInvalid() {
    Observation o = Fixture.healthy();
    Observation differs =
        o.toBuilder().replayFromLake(Fixture.without(o.warehouseOrders(), 4)).build();
    CheckResult r = checker.check(differs);
    assertThat(r.verdict()).as("the lake lost order 4's create").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .containsExactly(
            "order 4: expected {v1 customer=20 NEW 4000 EUR} (fold of the Kafka records), actual"
                + " <no row> (replay from the lake)",
            "order 4: expected {v1 customer=20 NEW 4000 EUR} (wh_orders), actual <no row> (replay"
                + " from the lake)");
  }

  @Test
  void replayFromKafkaDifferingIsInvalid() {
    Observation o = Fixture.healthy();
    Observation differs =
        o.toBuilder()
            .replayFromKafka(Fixture.with(o.warehouseOrders(), Fixture.byId("e-1-1").state()))
            .build();
    CheckResult r = checker.check(differs);
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary())
        .contains("differ between the fold of the Kafka records and the replay from Kafka: 1")
        .contains("differ between wh_orders and the replay from Kafka: 1");
  }

  @Test
  void aReplayThatDiffersFromTheModelWhileEqualToTheLiveWarehouseIsInvalid() {
    // a bug shared by the live consumer and the replay (same decoder, same apply code): order 1's
    // update never lands anywhere the pipeline computes, so live and replays agree with each other
    Observation o = Fixture.healthy();
    OrderState stale = Fixture.byId("e-1-1").state();
    Map<Long, OrderState> wrong = Fixture.with(o.warehouseOrders(), stale);
    Observation shared =
        o.toBuilder()
            .warehouseOrders(wrong)
            .replayFromLake(wrong)
            .replayFromKafka(wrong)
            .drained(false)
            .build();
    CheckResult r = checker.check(shared);
    assertThat(r.verdict())
        .as("Kafka holds order 1 v2; the Kafka replay read the same records, so no lag explains it")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .contains(
            "order 1: expected {v2 customer=10 PAID 1500 EUR} (fold of the Kafka records), actual"
                + " {v1 customer=10 NEW 1000 EUR} (replay from Kafka)");
    assertThat(r.evidence()).noneMatch(line -> line.contains("(wh_orders)"));

    CheckResult drained = checker.check(shared.toBuilder().drained(true).build());
    assertThat(drained.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(drained.evidence())
        .contains(
            "order 1: expected {v2 customer=10 PAID 1500 EUR} (fold of the Kafka records), actual"
                + " {v1 customer=10 NEW 1000 EUR} (replay from the lake)");
  }

  @Test
  void aLakeReplayBehindTheModelIsUnknownUntilTheRunDrained() {
    Observation o = Fixture.healthy();
    Map<Long, OrderState> behind = Fixture.without(o.warehouseOrders(), 4);
    Observation lagging =
        o.toBuilder().warehouseOrders(behind).replayFromLake(behind).drained(false).build();
    CheckResult r = checker.check(lagging);
    assertThat(r.verdict())
        .as("the lake may still be behind Kafka when the run did not drain")
        .isEqualTo(Verdict.UNKNOWN);
    assertThat(checker.check(lagging.toBuilder().drained(true).build()).verdict())
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void replayNotComputedIsUnknownNeverAPass() {
    Observation noReplay = Fixture.healthy().toBuilder().replayFromKafka(null).build();
    CheckResult r = checker.check(noReplay);
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("replay from Kafka was not computed");
  }

  @Test
  void aModelThatCannotBeComputedIsUnknownNeverAPass() {
    Observation o = Fixture.healthy();
    Observation idsOnly =
        o.toBuilder()
            .kafkaRecords(
                o.kafkaRecords().stream()
                    .map(k -> new KafkaRecord(k.topic(), k.partition(), k.offset(), k.eventId()))
                    .toList())
            .build();
    CheckResult r = checker.check(idsOnly);
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("the oracle's model could not be computed: 7 Kafka records");
  }

  @Test
  void injectedPoisonIsLeftOutOfTheModel() {
    Observation o = Fixture.healthy();
    // a record the harness injected as poison that happens to decode: still not part of the model
    KafkaRecord poison =
        KafkaRecord.of(
            Fixture.TOPIC, 0, 4, Fixture.event(9_000_000_001L, 1, "ORDER_CREATED", 10, "NEW", 99));
    Observation withPoison =
        o.toBuilder()
            .kafkaRecords(Fixture.plus(o.kafkaRecords(), poison))
            .injectedPoison(java.util.List.of(poison))
            .build();
    CheckResult r = checker.check(withPoison);
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("model orders", 4L);
  }

  @Test
  void differenceWhenNotDrainedIsUnknown() {
    Observation o = Fixture.healthy();
    Observation lagging =
        o.toBuilder()
            .warehouseOrders(Fixture.without(o.warehouseOrders(), 4))
            .drained(false)
            .build();
    assertThat(checker.check(lagging).verdict())
        .as("the replays read all of Kafka, the live warehouse may be behind")
        .isEqualTo(Verdict.UNKNOWN);
  }
}
