package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.SnapshotsFixture.O1V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O2V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O3V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.complete;
import static dev.cdcchaos.harness.check.SnapshotsFixture.early;
import static dev.cdcchaos.harness.check.SnapshotsFixture.redeliver;
import static dev.cdcchaos.harness.check.SnapshotsFixture.snapshot;
import static dev.cdcchaos.harness.check.SnapshotsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonotonicReadsCheckerTest {
  private final MonotonicReadsChecker checker = new MonotonicReadsChecker();

  @Test
  void snapshotsThatOnlyMoveForwardAreValid() {
    CheckResult r = checker.check(with(List.of(early(0, 100), early(1, 300), complete(2, 600))));
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
  }

  @Test
  void aVersionGoingBackIsInvalid() {
    Snapshot back =
        snapshot(
            2,
            800,
            3,
            4,
            List.of(O1V1, SnapshotsFixture.O2V2, SnapshotsFixture.O3V2, SnapshotsFixture.O4V1),
            List.of());
    CheckResult r = checker.check(with(List.of(early(0, 100), complete(1, 500), back)));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence().get(0))
        .contains("order 1: version 2 in snapshot #1 at 0.50 s")
        .contains("then version 1 in snapshot #2 at 0.80 s");
  }

  @Test
  void aVisibleOrderVanishingIsInvalidUnlessATombstoneIsCovered() {
    // order 2 disappears: it has no tombstone event
    Snapshot gone =
        snapshot(1, 400, 1, 2, List.of(O1V1, O3V1), List.of(new CustomerTotal(10, 1, 1000)));
    CheckResult r = checker.check(with(List.of(early(0, 100), gone)));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence().get(0)).contains("order 2 visible in snapshot #0").contains("gone in");
    // order 3 disappears once its tombstone (partition 1, offset 3) is below the checkpoint
    Snapshot deleted =
        snapshot(
            1,
            400,
            1,
            4,
            List.of(SnapshotsFixture.O1V2, O2V1),
            List.of(new CustomerTotal(10, 2, 3500)));
    assertThat(checker.check(with(List.of(early(0, 100), deleted))).verdict())
        .isEqualTo(Verdict.VALID);
  }

  @Test
  void aCheckpointGoingBackIsInvalidUnlessARedeliverWasRecordedInBetween() {
    Snapshot rewound = snapshot(2, 900, 0, 4, complete(0, 0).orders(), List.of());
    List<Snapshot> snaps = List.of(early(0, 100), complete(1, 500), rewound);
    CheckResult r = checker.check(with(snaps));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence().get(0))
        .contains("partition 0: checkpoint 3 in snapshot #1")
        .contains("then 0 in snapshot #2")
        .contains("no redeliver");
    assertThat(checker.check(with(snaps, redeliver(700, 0, 0, 3))).verdict())
        .isEqualTo(Verdict.VALID);
    assertThat(checker.check(with(snaps, redeliver(950, 0, 0, 3))).verdict())
        .as("a redeliver after the second snapshot does not excuse it")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void fewerThanTwoSnapshotsAreUnknown() {
    assertThat(checker.check(with(List.of(early(0, 100)))).verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
