package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code monotonic-reads}: what an analyst reads never goes back in time. Across successive
 * snapshots of the serving warehouse:
 *
 * <ul>
 *   <li>no order's version decreases;
 *   <li>no order that was visible disappears, except through a tombstone event (a pipeline may
 *       remove a deleted order's row; this one keeps it as a tombstone);
 *   <li>no checkpoint moves back, except through a {@code redeliver} recorded between the two
 *       snapshots.
 * </ul>
 *
 * <p>Fewer than two snapshots leave nothing to compare: unknown. Evidence names both snapshots, the
 * order or partition, and the two values.
 */
public final class MonotonicReadsChecker implements Checker {

  public static final String NAME = "monotonic-reads";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    List<Snapshot> snapshots = o.snapshots();
    f.count("snapshots", snapshots.size());
    if (snapshots.size() < 2) {
      f.unknown(
          "fewer than two snapshots were read, so nothing could go back",
          List.of("expected at least 2 snapshots, actual " + snapshots.size()));
      return f.result("");
    }
    Map<Long, List<KafkaRecord>> tombstones = new HashMap<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      if (r.event() != null && r.event().state().deleted()) {
        tombstones.computeIfAbsent(r.event().orderId(), k -> new ArrayList<>()).add(r);
      }
    }
    Rewinds rewinds = Rewinds.of(o.history());
    List<String> versionsBack = new ArrayList<>();
    List<String> vanished = new ArrayList<>();
    List<String> checkpointsBack = new ArrayList<>();
    long versionCount = 0;
    long vanishedCount = 0;
    long checkpointCount = 0;
    Snapshot before = snapshots.get(0);
    Map<Long, OrderState> beforeRows = before.byOrder();
    for (Snapshot after : snapshots.subList(1, snapshots.size())) {
      if (after.orders() != before.orders()) {
        Map<Long, OrderState> afterRows = after.byOrder();
        for (Map.Entry<Long, OrderState> e : beforeRows.entrySet()) {
          OrderState now = afterRows.get(e.getKey());
          if (now == null) {
            if (!deletedBy(tombstones.get(e.getKey()), after)) {
              vanishedCount++;
              add(
                  vanished,
                  "order "
                      + e.getKey()
                      + " visible in "
                      + SnapshotConsistentChecker.where(before)
                      + " as "
                      + Evidence.row(e.getValue())
                      + ", gone in "
                      + SnapshotConsistentChecker.where(after)
                      + " with no tombstone event covered");
            }
          } else if (now.version() < e.getValue().version()) {
            versionCount++;
            add(
                versionsBack,
                "order "
                    + e.getKey()
                    + ": version "
                    + e.getValue().version()
                    + " in "
                    + SnapshotConsistentChecker.where(before)
                    + ", then version "
                    + now.version()
                    + " in "
                    + SnapshotConsistentChecker.where(after));
          }
        }
        beforeRows = afterRows;
      }
      for (Map.Entry<String, SortedMap<Integer, Long>> later : before.incarnations().entrySet()) {
        for (Map.Entry<Integer, Long> cp : later.getValue().entrySet()) {
          Long now = after.checkpointOf(later.getKey(), cp.getKey());
          if (now == null ? cp.getValue() > 0 : now < cp.getValue()) {
            checkpointCount++;
            add(
                checkpointsBack,
                later.getKey()
                    + " partition "
                    + cp.getKey()
                    + ": checkpoint "
                    + cp.getValue()
                    + " in "
                    + SnapshotConsistentChecker.where(before)
                    + ", then "
                    + (now == null ? "none" : now)
                    + " in "
                    + SnapshotConsistentChecker.where(after));
          }
        }
      }
      for (Map.Entry<Integer, Long> cp : before.checkpoints().entrySet()) {
        Long now = after.checkpoints().get(cp.getKey());
        boolean back = now == null ? cp.getValue() > 0 : now < cp.getValue();
        if (back && !rewinds.between(cp.getKey(), before.timeNanos(), after.timeNanos())) {
          checkpointCount++;
          add(
              checkpointsBack,
              "partition "
                  + cp.getKey()
                  + ": checkpoint "
                  + cp.getValue()
                  + " in "
                  + SnapshotConsistentChecker.where(before)
                  + ", then "
                  + (now == null ? "none" : now)
                  + " in "
                  + SnapshotConsistentChecker.where(after)
                  + ", and no redeliver was recorded between them");
        }
      }
      before = after;
    }
    f.count("versions gone back", versionCount);
    f.count("orders vanished", vanishedCount);
    f.count("checkpoints gone back", checkpointCount);
    if (versionCount > 0) {
      f.invalid(
          versionCount + " times an order's version went back between snapshots", versionsBack);
    }
    if (vanishedCount > 0) {
      f.invalid(vanishedCount + " times a visible order vanished without a tombstone", vanished);
    }
    if (checkpointCount > 0) {
      f.invalid(
          checkpointCount + " times a checkpoint went back without a recorded redeliver",
          checkpointsBack);
    }
    return f.result(
        "across "
            + snapshots.size()
            + " snapshots no version, visible order or checkpoint went back");
  }

  /** Whether a tombstone of the order lies below the snapshot's checkpoint of its partition. */
  private static boolean deletedBy(List<KafkaRecord> tombstones, Snapshot s) {
    if (tombstones == null) {
      return false;
    }
    for (KafkaRecord r : tombstones) {
      Long cp = s.checkpointOf(r.topic(), r.partition());
      if (cp != null && r.offset() < cp) {
        return true;
      }
    }
    return false;
  }

  private static void add(List<String> evidence, String line) {
    if (evidence.size() < Evidence.FIRST) {
      evidence.add(line);
    }
  }
}
