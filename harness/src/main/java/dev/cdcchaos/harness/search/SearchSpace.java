package dev.cdcchaos.harness.search;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultKind;
import java.time.Duration;
import java.util.List;

/**
 * The bounds random scenarios are drawn from. Small by default: a search runs many scenarios, and a
 * bug that needs 100,000 orders to show is rare next to one that needs a crash at the wrong step.
 *
 * @param minOrders fewest orders of a workload
 * @param maxOrders most orders of a workload
 * @param maxUpdatesPerOrder most updates per order (at least 0)
 * @param maxWriters most concurrent writers
 * @param maxFaults most faults per schedule (at least 0)
 * @param faultKinds the fault kinds to draw from (names of {@link FaultKind#searchKeys()})
 * @param brokerCounts the broker counts to draw from (1 and/or 3)
 * @param maxPartitions most partitions of the topic
 * @param maxStart latest time trigger ({@code at: { after: ... }})
 * @param maxWindow longest {@code for} of a window fault
 * @param maxDowntime longest {@code for} of a kill, restart or crash
 */
public record SearchSpace(
    int minOrders,
    int maxOrders,
    int maxUpdatesPerOrder,
    int maxWriters,
    int maxFaults,
    List<String> faultKinds,
    List<Integer> brokerCounts,
    int maxPartitions,
    Duration maxStart,
    Duration maxWindow,
    Duration maxDowntime) {

  /** Every fault kind, 1 or 3 brokers, up to 2,000 orders and 6 faults. */
  public static final SearchSpace DEFAULT =
      new SearchSpace(
          50,
          2000,
          5,
          4,
          6,
          FaultKind.searchKeys(),
          List.of(1, 3),
          6,
          Duration.ofSeconds(10),
          Duration.ofSeconds(5),
          Duration.ofSeconds(3));

  public SearchSpace {
    faultKinds = List.copyOf(faultKinds);
    brokerCounts = List.copyOf(brokerCounts);
    if (minOrders < 1 || maxOrders < minOrders) {
      throw new IllegalArgumentException("need 1 <= minOrders <= maxOrders");
    }
    if (maxUpdatesPerOrder < 0 || maxWriters < 1 || maxFaults < 0 || maxPartitions < 1) {
      throw new IllegalArgumentException("negative or zero bounds in the search space");
    }
    if (faultKinds.isEmpty() && maxFaults > 0) {
      throw new IllegalArgumentException("faults need at least one fault kind");
    }
    for (String kind : faultKinds) {
      if (!FaultKind.searchKeys().contains(kind)) {
        throw new IllegalArgumentException(
            (Fault.KINDS.contains(kind)
                    ? "fault kind '" + kind + "' is not drawn by the search"
                    : "unknown fault kind '" + kind + "'")
                + ", expected one of "
                + FaultKind.searchKeys());
      }
    }
    if (faultKinds.equals(List.of("slow-commit")) && maxFaults > 0 && maxWriters < 2) {
      throw new IllegalArgumentException(
          "slow-commit needs at least 2 writers (one holds its transaction, another commits)");
    }
    if (brokerCounts.isEmpty() || !brokerCounts.stream().allMatch(b -> b == 1 || b == 3)) {
      throw new IllegalArgumentException("broker counts must be 1 or 3");
    }
    if (maxStart.isNegative() || maxWindow.toMillis() < 100 || maxDowntime.isNegative()) {
      throw new IllegalArgumentException("bad time bounds in the search space");
    }
  }

  /** This space with only the given fault kinds. */
  public SearchSpace withFaultKinds(List<String> kinds) {
    return new SearchSpace(
        minOrders,
        maxOrders,
        maxUpdatesPerOrder,
        maxWriters,
        maxFaults,
        kinds,
        brokerCounts,
        maxPartitions,
        maxStart,
        maxWindow,
        maxDowntime);
  }
}
