package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.Event;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class CheckersTest {

  @Test
  void everyInvariantOfTheArchitectureHasACheckerByItsScenarioName() {
    assertThat(Checkers.names())
        .containsExactly(
            "converged",
            "no-loss",
            "no-duplicates",
            "lake-complete",
            "replay-equivalent",
            "checkpoints-sound",
            "accounting",
            "liveness",
            "snapshot-consistent",
            "monotonic-reads");
    assertThat(Checkers.byName("no-loss")).isInstanceOf(NoLossChecker.class);
  }

  @Test
  void unknownNameListsTheValidOnes() {
    assertThatThrownBy(() -> Checkers.byName("no-los"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown invariant 'no-los'")
        .hasMessageContaining("no-loss")
        .hasMessageContaining("liveness");
    assertThatThrownBy(() -> Checkers.run(Fixture.healthy(), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no invariants selected");
  }

  @Test
  void healthyRunIsValidOnEveryInvariant() {
    RunVerdict v = Checkers.run(Fixture.healthy(), List.of("all"));
    assertThat(v.results()).hasSize(10);
    assertThat(v.results())
        .allSatisfy(
            r ->
                assertThat(r.verdict())
                    .as(r.invariant() + ": " + r.summary())
                    .isEqualTo(Verdict.VALID));
    assertThat(v.overall()).isEqualTo(Verdict.VALID);
  }

  @Test
  void worstVerdictWinsAndComesFirst() {
    Observation o = Fixture.healthy();
    Observation broken =
        o.toBuilder()
            .ledger(Fixture.without(o.ledger(), a -> a.eventId().equals("e-1-2")))
            .drained(true)
            .build();
    RunVerdict v = Checkers.run(broken, List.of("liveness", "no-loss", "replay-equivalent"));
    assertThat(v.overall()).isEqualTo(Verdict.INVALID);
    assertThat(v.results())
        .extracting(CheckResult::invariant)
        .containsExactly("no-loss", "liveness", "replay-equivalent");
    assertThat(v.result("no-loss"))
        .get()
        .extracting(CheckResult::verdict)
        .isEqualTo(Verdict.INVALID);
  }

  /**
   * Soundness: a correct consumer that is merely behind (partition 1 consumed to offset 2 of 4, the
   * run did not drain) must never be called invalid; each data checker says unknown or valid.
   */
  @Test
  void aConsumerThatIsOnlyBehindIsNeverInvalid() {
    Observation all = Fixture.healthy();
    Map<Integer, Long> consumedTo = Map.of(0, 3L, 1, 2L);
    List<KafkaRecord> consumed =
        all.kafkaRecords().stream()
            .filter(r -> r.offset() < consumedTo.get(r.partition()))
            .toList();
    Set<String> consumedIds =
        consumed.stream().map(KafkaRecord::eventId).collect(Collectors.toSet());
    List<Event> applied =
        all.outbox().stream().filter(e -> consumedIds.contains(e.eventId())).toList();
    List<AppliedEvent> ledger = Fixture.ledgerOf(applied, consumed);
    var wh = Fold.orders(applied);
    Observation behind =
        all.toBuilder()
            .warehouseOrders(new HashMap<>(wh))
            .customerTotals(List.copyOf(Fold.customerTotals(wh).values()))
            .ledger(ledger)
            .lake(Fixture.lakeOf(consumed))
            .checkpoints(
                List.of(new Checkpoint(Fixture.TOPIC, 0, 3), new Checkpoint(Fixture.TOPIC, 1, 2)))
            .checkpointTrail(List.of(new Checkpoint(Fixture.TOPIC, 1, 1)))
            .drained(false)
            .convergeTime(null)
            .build();
    RunVerdict v = Checkers.run(behind, List.of("all"));
    assertThat(v.results())
        .allSatisfy(
            r ->
                assertThat(r.verdict())
                    .as(r.invariant() + ": " + r.summary())
                    .isNotEqualTo(Verdict.INVALID));
    assertThat(v.overall()).as("not drained is never a pass").isEqualTo(Verdict.UNKNOWN);
    assertThat(v.result("converged").orElseThrow().verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
