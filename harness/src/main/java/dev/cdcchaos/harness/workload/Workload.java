package dev.cdcchaos.harness.workload;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Turns a {@link WorkloadSpec} and a seed into the exact source operations of a run.
 *
 * <p>Ownership: order {@code id} (1..orders) belongs to writer {@code id % writers}, and only that
 * writer ever touches it. A writer runs its operations in list order, one transaction each, so the
 * versions of an order are written in sequence (1, 2, 3 ...) while different orders, on different
 * writers, commit concurrently and out of id order: the interleaving that loses events in id-cursor
 * publishers. Each writer keeps a few orders open at a time and advances a random one, so an
 * order's updates are spread between other orders' writes.
 *
 * <p>Each order's operations depend only on the seed and the order id, so a shrunk workload (fewer
 * orders) keeps the operations of the orders it keeps. Replay a run by its seed: same spec, same
 * seed, same list.
 */
public final class Workload {
  /** Statuses an update moves an order through, in order; the last one repeats. */
  public static final List<String> STATUSES = List.of("PAID", "PACKED", "SHIPPED", "DELIVERED");

  public static final List<String> CURRENCIES = List.of("EUR", "USD", "GBP");

  /** Customers orders are spread over, so customer totals aggregate several orders. */
  public static final int CUSTOMERS = 100;

  /** Orders a writer keeps open (created, not finished) at a time. */
  static final int OPEN_ORDERS = 8;

  /** The customer that edge workloads give many orders to. */
  public static final long BIG_CUSTOMER = 1;

  /** The totals a {@link OrderShape#BOUNDARY} order moves between. */
  static final List<Long> BOUNDARY_TOTALS = List.of(0L, 1L, 1_000_000_000_000L);

  private static final List<OrderShape> EDGES =
      List.of(
          OrderShape.HOT,
          OrderShape.BURST,
          OrderShape.REINSTATED,
          OrderShape.RECREATED,
          OrderShape.DELETED_EARLY,
          OrderShape.BOUNDARY);

  private Workload() {}

  /**
   * Every source operation of the run, writers interleaved as they might commit. Each writer's
   * operations appear in the order that writer performs them ({@link #byWriter}).
   */
  public static List<SourceOp> generate(WorkloadSpec spec, long seed) {
    List<Deque<SourceOp>> perWriter = new ArrayList<>();
    long total = 0;
    for (int w = 0; w < spec.writers(); w++) {
      Deque<SourceOp> ops = new ArrayDeque<>(writerOps(spec, seed, w));
      total += ops.size();
      perWriter.add(ops);
    }
    Random merge = new Random(mix(seed, -1, 0));
    List<SourceOp> all = new ArrayList<>((int) total);
    long remaining = total;
    while (remaining > 0) {
      long pick = (long) (merge.nextDouble() * remaining);
      for (Deque<SourceOp> ops : perWriter) {
        if (pick < ops.size()) {
          all.add(ops.removeFirst());
          break;
        }
        pick -= ops.size();
      }
      remaining--;
    }
    return all;
  }

  /** The operations of each writer, in the order it performs them; index = writer number. */
  public static List<List<SourceOp>> byWriter(List<SourceOp> ops, int writers) {
    List<List<SourceOp>> result = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      result.add(new ArrayList<>());
    }
    for (SourceOp op : ops) {
      result.get(op.writer()).add(op);
    }
    return result;
  }

  /**
   * The poison records of a run of {@code sourceOps} operations: {@link PoisonMix#countFor} of
   * them, cycling through the mix's kinds, spread evenly over the run.
   */
  public static List<PoisonSpec> poison(WorkloadSpec spec, long seed, long sourceOps) {
    PoisonMix mix = spec.poison();
    int count = mix.countFor(sourceOps);
    List<PoisonSpec> result = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      PoisonKind kind = mix.kinds().get(i % mix.kinds().size());
      long after = (i + 1) * sourceOps / (count + 1);
      result.add(new PoisonSpec(i, kind, mix(seed, -2, i), after));
    }
    return result;
  }

  /** How an order's life is drawn: its shape, and whether it goes to the big customer. */
  record Draw(OrderShape shape, boolean bigCustomer) {}

  /** Order {@code id}'s shape, from its own stream of the seed (the rest of its life is apart). */
  static Draw draw(WorkloadSpec spec, long seed, long id) {
    Random r = new Random(mix(seed, id, 1));
    boolean edge = r.nextDouble() < spec.edgeFraction();
    OrderShape shape = EDGES.get(r.nextInt(EDGES.size()));
    boolean big = r.nextDouble() < spec.edgeFraction() / 2;
    return new Draw(edge ? shape : OrderShape.PLAIN, big);
  }

  /**
   * How many orders of the workload lead each shape, and ({@code big-customer}) how many go to the
   * one big customer: recorded with the run, so a report says which edges it exercised.
   */
  public static Map<String, Long> shapes(WorkloadSpec spec, long seed) {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (OrderShape s : OrderShape.values()) {
      counts.put(s.cliName(), 0L);
    }
    long big = 0;
    for (long id = 1; id <= spec.orders(); id++) {
      Draw d = draw(spec, seed, id);
      counts.merge(d.shape().cliName(), 1L, Long::sum);
      big += d.bigCustomer() ? 1 : 0;
    }
    counts.put("big-customer", big);
    return counts;
  }

  /**
   * Payload fields the event schema does not know, as a drifted producer would add them: one to
   * three of a fixed pool, top-level and inside {@code state}.
   */
  public static Map<String, Object> driftFields(Random random) {
    Map<String, Object> fields = new LinkedHashMap<>();
    int n = 1 + random.nextInt(3);
    List<Integer> pool = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5));
    for (int i = 0; i < n; i++) {
      switch (pool.remove(random.nextInt(pool.size()))) {
        case 0 -> fields.put("channel", List.of("web", "app", "store").get(random.nextInt(3)));
        case 1 -> fields.put("state.giftWrap", random.nextBoolean());
        case 2 -> fields.put("state.loyaltyPoints", random.nextInt(10_000));
        case 3 -> fields.put("traceId", Long.toHexString(random.nextLong()));
        // a JSON null and a nested object: unknown fields of any shape must ingest
        case 4 -> fields.put("coupon", random.nextBoolean() ? null : Map.of("code", "C42"));
        default -> fields.put("state.notes", "drift-" + random.nextInt(1000));
      }
    }
    return fields;
  }

  private static List<SourceOp> writerOps(WorkloadSpec spec, long seed, int writer) {
    Random interleave = new Random(mix(seed, -3, writer));
    List<SourceOp> out = new ArrayList<>();
    List<Deque<SourceOp>> open = new ArrayList<>();
    List<Boolean> burst = new ArrayList<>();
    long next = writer == 0 ? spec.writers() : writer;
    while (next <= spec.orders() || !open.isEmpty()) {
      while (open.size() < OPEN_ORDERS && next <= spec.orders()) {
        open.add(new ArrayDeque<>(orderOps(spec, seed, writer, next)));
        burst.add(draw(spec, seed, next).shape() == OrderShape.BURST);
        next += spec.writers();
      }
      int i = interleave.nextInt(open.size());
      Deque<SourceOp> order = open.get(i);
      out.add(order.removeFirst());
      if (burst.get(i)) {
        // back to back: the order's versions follow each other with nothing in between
        while (!order.isEmpty()) {
          out.add(order.removeFirst());
        }
      }
      if (order.isEmpty()) {
        open.remove(i);
        burst.remove(i);
      }
    }
    return out;
  }

  /** The life of one order: create, updates, maybe a cancel, maybe a delete; edges per shape. */
  private static List<SourceOp> orderOps(WorkloadSpec spec, long seed, int writer, long id) {
    Random r = new Random(mix(seed, id, 0));
    Draw draw = draw(spec, seed, id);
    OrderShape shape = draw.shape();
    double drift = spec.schemaDriftFraction();
    List<SourceOp> ops = new ArrayList<>();
    long total = 100 + r.nextInt(100_000);
    long customer = 1 + r.nextInt(CUSTOMERS);
    String currency = CURRENCIES.get(r.nextInt(CURRENCIES.size()));
    if (draw.bigCustomer()) {
      customer = BIG_CUSTOMER;
    }
    if (shape == OrderShape.BOUNDARY) {
      total = BOUNDARY_TOTALS.get((int) (id % BOUNDARY_TOTALS.size()));
    }
    ops.add(new SourceOp.Create(writer, id, customer, total, currency, extras(r, drift)));
    if (shape == OrderShape.DELETED_EARLY) {
      ops.add(new SourceOp.Delete(writer, id, extras(r, drift)));
    }
    int updates =
        shape == OrderShape.HOT
            ? Math.min(200, Math.max(20, 5 * spec.updatesPerOrder()))
            : spec.updatesPerOrder();
    if (shape == OrderShape.DELETED_EARLY && updates > 0) {
      // the order comes back after its early tombstone, so its updates have something to change
      ops.add(new SourceOp.Create(writer, id, customer, total, currency, extras(r, drift)));
    }
    for (int u = 0; u < updates; u++) {
      String status = STATUSES.get(Math.min(u, STATUSES.size() - 1));
      if (shape == OrderShape.BOUNDARY) {
        total = BOUNDARY_TOTALS.get((int) ((id + u + 1) % BOUNDARY_TOTALS.size()));
      } else {
        total = Math.max(1, total + r.nextInt((int) Math.max(2, total / 5)) - total / 10);
      }
      ops.add(new SourceOp.Update(writer, id, status, total, extras(r, drift)));
      if (u == 0 && shape == OrderShape.REINSTATED) {
        ops.add(new SourceOp.Cancel(writer, id, extras(r, drift)));
      }
      if (u == 0 && shape == OrderShape.RECREATED) {
        ops.add(new SourceOp.Delete(writer, id, extras(r, drift)));
        long other = customer % CUSTOMERS + 1; // the next customer, never the same one
        ops.add(new SourceOp.Create(writer, id, other, total, currency, extras(r, drift)));
      }
    }
    // an early tombstone without updates stays deleted: nothing left to cancel or delete
    boolean live = !(shape == OrderShape.DELETED_EARLY && updates == 0);
    boolean cancel = r.nextDouble() < spec.cancelFraction();
    boolean delete = r.nextDouble() < spec.deleteFraction();
    if (cancel && live) {
      ops.add(new SourceOp.Cancel(writer, id, extras(r, drift)));
    }
    if (delete && live) {
      ops.add(new SourceOp.Delete(writer, id, extras(r, drift)));
    }
    return ops;
  }

  private static Map<String, Object> extras(Random r, double fraction) {
    // always draw, so the drift fraction does not shift the rest of the order's randomness
    double roll = r.nextDouble();
    Random fields = new Random(r.nextLong());
    return roll < fraction ? driftFields(fields) : Map.of();
  }

  /** A well-spread 64-bit seed for one stream of randomness of the run. */
  static long mix(long seed, long a, long b) {
    long z = seed * 0x9E3779B97F4A7C15L + a * 0xC2B2AE3D27D4EB4FL + b * 0x165667B19E3779F9L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
