package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.RowDiff.Mismatch;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code replay-equivalent}: a fresh warehouse rebuilt from the lake, and one rebuilt from Kafka
 * offset 0, each equal {@code wh_orders} (tombstones included).
 *
 * <p>A replay that was not computed is unknown, never a pass. A difference is invalid after a
 * drained run and unknown otherwise (the replays read everything, the live warehouse may be
 * behind).
 */
public final class ReplayEquivalentChecker implements Checker {

  public static final String NAME = "replay-equivalent";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    compare(f, o, "replay from the lake", o.replayFromLake(), "lake");
    compare(f, o, "replay from Kafka", o.replayFromKafka(), "kafka");
    return f.result(
        "replays from the lake and from Kafka both equal wh_orders ("
            + o.warehouseOrders().size()
            + " orders)");
  }

  private static void compare(
      Findings f,
      Observation o,
      String name,
      Optional<Map<Long, OrderRow>> replay,
      String countKey) {
    if (replay.isEmpty()) {
      f.unknown(name + " was not computed", List.of(name + ": not computed"));
      return;
    }
    List<Mismatch> diff = RowDiff.of(o.warehouseOrders(), replay.get());
    f.count(countKey + " replay rows", replay.get().size());
    f.count(countKey + " mismatches", diff.size());
    if (!diff.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          diff.size()
              + " orders differ between wh_orders and the "
              + name
              + ": "
              + Evidence.ids(RowDiff.ids(diff)),
          Evidence.firstFew(diff, m -> m.describe("wh_orders", name)));
    }
  }
}
