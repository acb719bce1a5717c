package dev.cdcchaos.harness.workload;

import java.util.Objects;

/**
 * What the writers do during a run; {@link Workload#generate} turns it and a seed into the exact
 * operations.
 *
 * @param orders how many orders are created
 * @param updatesPerOrder updates after each create (status and total changes)
 * @param writers concurrent writer connections; order {@code id} belongs to writer {@code id %
 *     writers}
 * @param ratePerSecond target source operations per second over all writers; 0 = as fast as
 *     possible
 * @param cancelFraction fraction of orders cancelled after their updates
 * @param deleteFraction fraction of orders deleted at the end
 * @param schemaDriftFraction fraction of operations whose event carries fields the schema does not
 *     know
 * @param poison poison records published straight to the topic during the run
 * @param edgeFraction fraction of orders that lead an edge {@link OrderShape} instead of a plain
 *     life; half of it is also the share of orders that go to one big customer
 * @param writersIn where the writers run: threads of the harness, or child processes
 */
public record WorkloadSpec(
    int orders,
    int updatesPerOrder,
    int writers,
    int ratePerSecond,
    double cancelFraction,
    double deleteFraction,
    double schemaDriftFraction,
    PoisonMix poison,
    double edgeFraction,
    WritersIn writersIn) {

  public static final int DEFAULT_UPDATES_PER_ORDER = 3;
  public static final double DEFAULT_EDGE_FRACTION = 0.2;
  public static final int DEFAULT_WRITERS = 4;
  public static final int DEFAULT_RATE = 0;

  /** A workload whose writers run in the harness JVM. */
  public WorkloadSpec(
      int orders,
      int updatesPerOrder,
      int writers,
      int ratePerSecond,
      double cancelFraction,
      double deleteFraction,
      double schemaDriftFraction,
      PoisonMix poison,
      double edgeFraction) {
    this(
        orders,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        edgeFraction,
        WritersIn.JVM);
  }

  public WorkloadSpec {
    Objects.requireNonNull(poison, "poison");
    Objects.requireNonNull(writersIn, "writersIn");
    if (orders < 1) {
      throw new IllegalArgumentException("orders must be >= 1");
    }
    if (updatesPerOrder < 0) {
      throw new IllegalArgumentException("updatesPerOrder must be >= 0");
    }
    if (writers < 1) {
      throw new IllegalArgumentException("writers must be >= 1");
    }
    if (ratePerSecond < 0) {
      throw new IllegalArgumentException("ratePerSecond must be >= 0");
    }
    for (double f :
        new double[] {cancelFraction, deleteFraction, schemaDriftFraction, edgeFraction}) {
      if (!(f >= 0 && f <= 1)) {
        throw new IllegalArgumentException("fractions must be in [0, 1]");
      }
    }
  }

  /**
   * A plain workload: {@code orders} orders, defaults for everything else, no cancels, no poison.
   */
  public static WorkloadSpec of(int orders) {
    return new WorkloadSpec(
        orders,
        DEFAULT_UPDATES_PER_ORDER,
        DEFAULT_WRITERS,
        DEFAULT_RATE,
        0,
        0,
        0,
        PoisonMix.NONE,
        DEFAULT_EDGE_FRACTION);
  }

  /**
   * The fewest source events this workload commits: a create and the updates per order (cancels and
   * deletes add more). A progress trigger above it might never fire.
   */
  public long minEvents() {
    return (long) orders * (1 + updatesPerOrder);
  }

  public WorkloadSpec withOrders(int n) {
    return new WorkloadSpec(
        n,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        edgeFraction,
        writersIn);
  }

  public WorkloadSpec withUpdatesPerOrder(int n) {
    return new WorkloadSpec(
        orders,
        n,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        edgeFraction,
        writersIn);
  }

  public WorkloadSpec withWriters(int n) {
    return new WorkloadSpec(
        orders,
        updatesPerOrder,
        n,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        edgeFraction,
        writersIn);
  }

  public WorkloadSpec withPoison(PoisonMix p) {
    return new WorkloadSpec(
        orders,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        p,
        edgeFraction,
        writersIn);
  }

  public WorkloadSpec withFractions(double cancel, double delete, double schemaDrift) {
    return new WorkloadSpec(
        orders,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancel,
        delete,
        schemaDrift,
        poison,
        edgeFraction,
        writersIn);
  }

  public WorkloadSpec withEdgeFraction(double f) {
    return new WorkloadSpec(
        orders,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        f,
        writersIn);
  }

  public WorkloadSpec withWritersIn(WritersIn w) {
    return new WorkloadSpec(
        orders,
        updatesPerOrder,
        writers,
        ratePerSecond,
        cancelFraction,
        deleteFraction,
        schemaDriftFraction,
        poison,
        edgeFraction,
        w);
  }
}
