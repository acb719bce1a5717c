package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplayEquivalentCheckerTest {

  private final Checker checker = new ReplayEquivalentChecker();

  @Test
  void replaysEqualToTheWarehouseAreValid() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("lake replay rows", 4L)
        .containsEntry("kafka replay rows", 4L);
  }

  @Test
  void replayFromLakeDifferingIsInvalid() {
    Observation o = Fixture.healthy();
    Observation differs =
        o.toBuilder().replayFromLake(Fixture.without(o.warehouseOrders(), 4)).build();
    CheckResult r = checker.check(differs);
    assertThat(r.verdict()).as("the lake lost order 4's create").isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .contains(
            "order 4: expected {v1 customer=20 NEW 4000 EUR} (wh_orders), actual <no row> (replay from the lake)");
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
    assertThat(r.summary()).contains("replay from Kafka: 1");
  }

  @Test
  void replayNotComputedIsUnknownNeverAPass() {
    Observation o = Fixture.healthy();
    Observation noReplay =
        new Observation(
            o.outbox(),
            o.markedPublished(),
            o.sourceOrders(),
            o.warehouseOrders(),
            null,
            o.customerTotals(),
            o.ledger(),
            o.deadLetters(),
            o.checkpoints(),
            o.checkpointTrail(),
            o.kafkaRecords(),
            o.partitionEnds(),
            o.lake(),
            o.injectedPoison(),
            o.replayFromLake(),
            Optional.empty(),
            o.history(),
            true,
            o.convergeTime(),
            o.convergeBound());
    CheckResult r = checker.check(noReplay);
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("replay from Kafka was not computed");
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
