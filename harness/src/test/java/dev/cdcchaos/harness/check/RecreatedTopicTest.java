package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * A topic deleted and created again mid-run ({@code recreate-topic}): the first four events went to
 * the first incarnation, the other three to the second, whose offsets restart at 0. Each
 * incarnation is judged against its own records, and a pipeline that took the new records for the
 * old ones is caught.
 */
class RecreatedTopicTest {

  private static final String LATER = Incarnations.later(Fixture.TOPIC, "B");

  private static List<KafkaRecord> first() {
    return Fixture.publish(Fixture.outbox().subList(0, 4));
  }

  private static List<KafkaRecord> second() {
    return Fixture.publish(Fixture.outbox().subList(4, 7)).stream()
        .map(r -> new KafkaRecord(LATER, r.partition(), r.offset(), r.eventId(), r.event()))
        .toList();
  }

  private static List<Checkpoint> ends(List<KafkaRecord> records, String topic) {
    return Fixture.endsOf(records).stream()
        .map(c -> new Checkpoint(topic, c.partition(), c.nextOffset()))
        .toList();
  }

  private static <T> List<T> both(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private static Snapshot snapshot(
      int index,
      List<Event> applied,
      List<Checkpoint> cps,
      Map<String, SortedMap<Integer, Long>> later) {
    Map<Long, OrderState> fold = Fold.orders(applied);
    SortedMap<Integer, Long> first = new TreeMap<>();
    cps.forEach(c -> first.put(c.partition(), c.nextOffset()));
    return new Snapshot(
        index,
        index * 100L,
        first,
        fold.values().stream().sorted(Comparator.comparingLong(OrderState::orderId)).toList(),
        List.copyOf(Fold.customerTotals(fold).values()),
        later);
  }

  /** What a pipeline that keeps incarnations apart ends with. */
  private static Observation keptApart() {
    List<KafkaRecord> records = both(first(), second());
    List<Checkpoint> ends = both(ends(first(), Fixture.TOPIC), ends(second(), LATER));
    Map<Long, OrderState> fold = Fold.orders(Fixture.outbox());
    SortedMap<Integer, Long> laterCps = new TreeMap<>();
    ends(second(), LATER).forEach(c -> laterCps.put(c.partition(), c.nextOffset()));
    return Observation.builder()
        .outbox(Fixture.outbox())
        .sourceOrders(Fold.live(fold))
        .warehouseOrders(fold)
        .customerTotals(List.copyOf(Fold.customerTotals(fold).values()))
        .ledger(Fixture.ledgerOf(Fixture.outbox(), records))
        .checkpoints(ends)
        .checkpointTrail(ends)
        .kafkaRecords(records)
        .partitionEnds(ends)
        .lake(Fixture.lakeOf(records))
        .replayFromLake(fold)
        // Kafka holds the second incarnation only
        .replayFromKafka(Fold.orders(Fixture.outbox().subList(4, 7)))
        .survivingIncarnation(LATER)
        .snapshots(
            List.of(
                snapshot(0, Fixture.outbox().subList(0, 4), ends(first(), Fixture.TOPIC), Map.of()),
                snapshot(
                    1, Fixture.outbox(), ends(first(), Fixture.TOPIC), Map.of(LATER, laterCps))))
        .drained(true)
        .convergeTime(java.time.Duration.ofMillis(900))
        .build();
  }

  @Test
  void aPipelineThatKeepsIncarnationsApartIsValidOnEveryInvariant() {
    RunVerdict v = Checkers.run(keptApart(), List.of("all"));
    assertThat(v.results())
        .allSatisfy(
            r ->
                assertThat(r.verdict())
                    .as(r.invariant() + ": " + r.summary() + " " + r.evidence())
                    .isEqualTo(Verdict.VALID));
    assertThat(v.result(ReplayEquivalentChecker.NAME).orElseThrow().summary())
        .as("the Kafka replay is judged against the surviving incarnation alone, and says so")
        .contains("can only read the surviving incarnation " + LATER);
  }

  @Test
  void theKafkaReplayIsStillComparedWithTheSurvivingIncarnation() {
    Observation o = keptApart();
    Observation wrong = o.toBuilder().replayFromKafka(Fold.orders(Fixture.outbox())).build();
    CheckResult r = new ReplayEquivalentChecker().check(wrong);
    assertThat(r.verdict())
        .as("a Kafka replay holding orders the surviving incarnation does not is not equivalent")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void aPipelineThatTakesTheNewRecordsForOldOnesIsCaught() {
    // the consumer ignores the topic id: its checkpoints stay at the old ends, so the new
    // incarnation's records below them are taken as already seen and never applied or kept
    Observation o = keptApart();
    List<Checkpoint> oldEnds = ends(first(), Fixture.TOPIC);
    Observation broken =
        o.toBuilder()
            .warehouseOrders(Fold.orders(Fixture.outbox().subList(0, 4)))
            .customerTotals(
                List.copyOf(
                    Fold.customerTotals(Fold.orders(Fixture.outbox().subList(0, 4))).values()))
            .ledger(Fixture.ledgerOf(Fixture.outbox(), first()))
            .lake(Fixture.lakeOf(first()))
            .checkpoints(oldEnds)
            .checkpointTrail(oldEnds)
            .replayFromLake(Fold.orders(Fixture.outbox().subList(0, 4)))
            .snapshots(List.of(snapshot(0, Fixture.outbox().subList(0, 4), oldEnds, Map.of())))
            .build();
    RunVerdict v = Checkers.run(broken, List.of("all"));
    assertThat(v.overall()).isEqualTo(Verdict.INVALID);
    assertThat(v.result(LakeCompleteChecker.NAME).orElseThrow().verdict())
        .as("the new incarnation's records are not in the lake")
        .isEqualTo(Verdict.INVALID);
    assertThat(v.result(NoLossChecker.NAME).orElseThrow().verdict())
        .as("events 5 to 7 were never applied")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void aSnapshotCoversALaterIncarnationOnlyBelowItsOwnCheckpoints() {
    Observation o = keptApart();
    // the last snapshot shows every order but claims nothing read of the new incarnation yet
    Snapshot last = o.snapshots().get(1);
    Snapshot claimsLess =
        new Snapshot(
            last.index(), last.timeNanos(), last.checkpoints(), last.orders(), last.totals());
    CheckResult r =
        new SnapshotConsistentChecker()
            .check(o.toBuilder().snapshots(List.of(o.snapshots().get(0), claimsLess)).build());
    assertThat(r.verdict())
        .as("rows of the new incarnation with no checkpoint of it are not explained")
        .isEqualTo(Verdict.INVALID);
  }
}
