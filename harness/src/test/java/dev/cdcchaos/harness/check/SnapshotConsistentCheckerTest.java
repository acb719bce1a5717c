package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.SnapshotsFixture.O1V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O1V2;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O2V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O2V2;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O3V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.O4V1;
import static dev.cdcchaos.harness.check.SnapshotsFixture.complete;
import static dev.cdcchaos.harness.check.SnapshotsFixture.early;
import static dev.cdcchaos.harness.check.SnapshotsFixture.redeliver;
import static dev.cdcchaos.harness.check.SnapshotsFixture.snapshot;
import static dev.cdcchaos.harness.check.SnapshotsFixture.with;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotConsistentCheckerTest {
  private final SnapshotConsistentChecker checker = new SnapshotConsistentChecker();

  @Test
  void snapshotsThatHoldExactlyWhatTheirCheckpointsCoverAreValid() {
    CheckResult r = checker.check(with(List.of(early(0, 100), early(1, 350), complete(2, 600))));
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts())
        .containsEntry("snapshots", 3L)
        .containsEntry("inconsistent snapshots", 0L);
  }

  @Test
  void aSnapshotHoldingHalfABatchIsInvalid() {
    // the checkpoints cover everything, but order 3's tombstone and order 4 are not there yet
    Snapshot half =
        snapshot(
            1,
            400,
            3,
            4,
            List.of(O1V2, O2V2, O3V1),
            List.of(new CustomerTotal(10, 2, 1500), new CustomerTotal(20, 1, 3000)));
    CheckResult r = checker.check(with(List.of(early(0, 100), half, complete(2, 700))));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("1 of 3 snapshots").contains("orders 3, 4");
    assertThat(String.join("\n", r.evidence()))
        .contains("snapshot #1 at 0.40 s (checkpoints {0=3, 1=4})")
        .contains("order 3: expected {v2 customer=20 DELETED")
        .contains("actual {v1 customer=20 NEW 3000 EUR} (snapshot)")
        .contains("order 4: expected {v1")
        .contains("actual <no row>");
  }

  @Test
  void rowsAheadOfTheirCheckpointsAreInvalid() {
    // what deferred-checkpoint shows: the rows of the next batch, the checkpoint of the last one
    Snapshot ahead =
        snapshot(
            1,
            400,
            1,
            2,
            List.of(O1V2, O2V1, O3V1),
            List.of(new CustomerTotal(10, 2, 3500), new CustomerTotal(20, 1, 3000)));
    CheckResult r = checker.check(with(List.of(early(0, 100), ahead, complete(2, 700))));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(String.join("\n", r.evidence())).contains("order 1: expected").contains("v1");
  }

  @Test
  void aTransientDoubleCountInTheTotalsIsInvalid() {
    Snapshot doubled =
        snapshot(
            1,
            400,
            1,
            2,
            List.of(O1V1, O2V1, O3V1),
            List.of(new CustomerTotal(10, 2, 6000), new CustomerTotal(20, 1, 3000)));
    CheckResult r = checker.check(with(List.of(early(0, 100), doubled, complete(2, 700))));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(String.join("\n", r.evidence()))
        .contains(
            "customer 10: expected 2 orders, 3000 cents (recomputed from the snapshot's rows), actual 2 orders, 6000 cents");
  }

  @Test
  void twoRowsOfOneOrderAreInvalid() {
    Snapshot twice =
        snapshot(
            0,
            100,
            1,
            2,
            List.of(O1V1, O1V1, O2V1, O3V1),
            List.of(new CustomerTotal(10, 2, 3000), new CustomerTotal(20, 1, 3000)));
    CheckResult r = checker.check(with(List.of(twice)));
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence().get(0)).contains("order 1: expected one row, actual 2");
  }

  @Test
  void aRecordedRedeliverKeepsTheRowsItsOldCheckpointCovered() {
    // rewound to 0 in both partitions at 500 ms: the rows stay, the checkpoints start over
    Snapshot rewound =
        snapshot(
            2,
            600,
            0,
            0,
            complete(0, 0).orders(),
            List.of(new CustomerTotal(10, 2, 1500), new CustomerTotal(20, 1, 4000)));
    List<Snapshot> snaps = List.of(early(0, 100), complete(1, 400), rewound);
    assertThat(
            checker.check(with(snaps, redeliver(500, 0, 0, 3), redeliver(500, 1, 0, 4))).verdict())
        .isEqualTo(Verdict.VALID);
    assertThat(checker.check(with(List.of(early(0, 100), rewound))).verdict())
        .as("without the redeliver, rows beyond the checkpoints are unexplained")
        .isEqualTo(Verdict.INVALID);
  }

  @Test
  void poisonBelowTheCheckpointsFoldsToNothing() {
    List<KafkaRecord> records = new ArrayList<>(SnapshotsFixture.records());
    records.add(new KafkaRecord(Fixture.TOPIC, 0, 3, null, null));
    Snapshot past =
        snapshot(
            1,
            500,
            4,
            4,
            List.of(O1V2, O2V2, SnapshotsFixture.O3V2, O4V1),
            List.of(new CustomerTotal(10, 2, 1500), new CustomerTotal(20, 1, 4000)));
    Observation o = with(List.of(early(0, 100), past)).toBuilder().kafkaRecords(records).build();
    assertThat(checker.check(o).verdict()).isEqualTo(Verdict.VALID);
  }

  @Test
  void noSnapshotIsUnknownNeverValid() {
    CheckResult r = checker.check(with(List.of()));
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("no snapshot");
  }

  @Test
  void aTopicWideCheckpointIsUnknown() {
    Snapshot topicWide =
        new Snapshot(
            0,
            100_000_000,
            new java.util.TreeMap<>(java.util.Map.of(-1, 3L)),
            List.of(O1V1, O2V1),
            List.of(new CustomerTotal(10, 2, 3000)));
    assertThat(checker.check(with(List.of(topicWide))).verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
