package dev.cdcchaos.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Properties of the workload generator over a few seeds. A failing seed is replayed by putting it
 * into {@link #SEEDS}.
 */
class WorkloadTest {
  private static final long[] SEEDS = {1, 42, -7, 123456789L};

  private static final WorkloadSpec SPEC =
      new WorkloadSpec(500, 4, 4, 0, 0.1, 0.05, 0.2, PoisonMix.NONE, 0);

  @Test
  void theSameSeedGivesTheSameOperationsAndAnotherSeedOthers() {
    for (long seed : SEEDS) {
      assertThat(Workload.generate(SPEC, seed))
          .as("seed %d twice", seed)
          .isEqualTo(Workload.generate(SPEC, seed));
    }
    assertThat(Workload.generate(SPEC, 1)).isNotEqualTo(Workload.generate(SPEC, 2));
  }

  @Test
  void everyOrderLivesOnOneWriterAndRunsCreateUpdatesCancelDelete() {
    for (long seed : SEEDS) {
      List<SourceOp> ops = Workload.generate(SPEC, seed);
      Map<Long, List<SourceOp>> byOrder =
          ops.stream().collect(Collectors.groupingBy(SourceOp::orderId));

      assertThat(byOrder.keySet())
          .as("orders 1..500")
          .hasSize(500)
          .allMatch(id -> id >= 1 && id <= 500);
      byOrder.forEach(
          (id, life) -> {
            assertThat(life)
                .as("order %d is owned by writer id %% writers", id)
                .allMatch(op -> op.writer() == id % SPEC.writers());
            assertThat(life.get(0))
                .as("order %d starts with its create", id)
                .isInstanceOf(SourceOp.Create.class);
            assertThat(life.subList(1, 1 + SPEC.updatesPerOrder()))
                .as("then its updates")
                .allMatch(op -> op instanceof SourceOp.Update);
            assertThat(life.size())
                .isBetween(1 + SPEC.updatesPerOrder(), 3 + SPEC.updatesPerOrder());
            for (int i = 0; i < life.size() - 1; i++) {
              assertThat(life.get(i))
                  .as("nothing follows a delete of order %d", id)
                  .isNotInstanceOf(SourceOp.Delete.class);
            }
          });
    }
  }

  @Test
  void fractionsAreRoughlyHonoured() {
    WorkloadSpec big = SPEC.withOrders(4000);
    List<SourceOp> ops = Workload.generate(big, 42);
    Map<String, Long> counts =
        ops.stream().collect(Collectors.groupingBy(SourceOp::f, Collectors.counting()));

    assertThat(counts.get("create")).isEqualTo(4000);
    assertThat(counts.get("update")).isEqualTo(16000);
    assertThat(counts.get("cancel")).as("10%% of 4000 cancelled").isBetween(320L, 480L);
    assertThat(counts.get("delete")).as("5%% of 4000 deleted").isBetween(140L, 260L);
    long drifted = ops.stream().filter(op -> !op.extras().isEmpty()).count();
    assertThat((double) drifted / ops.size()).as("20%% schema drift").isBetween(0.17, 0.23);
  }

  @Test
  void writersInterleaveTheirOpenOrders() {
    List<List<SourceOp>> perWriter = Workload.byWriter(Workload.generate(SPEC, 7), SPEC.writers());

    assertThat(perWriter).hasSize(4);
    for (List<SourceOp> ops : perWriter) {
      long switches = 0;
      for (int i = 1; i < ops.size(); i++) {
        if (ops.get(i).orderId() != ops.get(i - 1).orderId()) {
          switches++;
        }
      }
      assertThat(switches).as("a writer interleaves its open orders").isGreaterThan(ops.size() / 2);
    }
    List<SourceOp> all = Workload.generate(SPEC, 7);
    assertThat(all.subList(0, 40).stream().map(SourceOp::writer).distinct().count())
        .as("writers are interleaved in the global list")
        .isEqualTo(4);
  }

  /**
   * The edge shapes, over many seeds: every op sequence is one the source accepts (a create only
   * when the order does not exist, anything else only when it does), each shape shows its edge, and
   * a big customer gathers many orders. Replay a failing seed with {@code generate(spec, seed)}.
   */
  @Test
  void edgeShapesAreValidLivesThatReachTheirEdges() {
    WorkloadSpec spec = SPEC.withEdgeFraction(0.6).withOrders(300);
    for (long seed = 1; seed <= 40; seed++) {
      List<SourceOp> ops = Workload.generate(spec, seed);
      Map<Long, List<SourceOp>> byOrder = byOrder(ops);
      Map<String, Long> shapes = Workload.shapes(spec, seed);
      for (OrderShape shape : OrderShape.values()) {
        assertThat(shapes.get(shape.cliName()))
            .as("seed %d draws %s orders", seed, shape)
            .isPositive();
      }
      for (long id = 1; id <= spec.orders(); id++) {
        List<SourceOp> life = byOrder.get(id);
        boolean exists = false;
        for (SourceOp op : life) {
          boolean create = op instanceof SourceOp.Create;
          assertThat(create != exists)
              .as(
                  "seed %d order %d: %s when the order %s",
                  seed, id, op.f(), exists ? "exists" : "does not exist")
              .isTrue();
          exists = !(op instanceof SourceOp.Delete);
        }
        Workload.Draw draw = Workload.draw(spec, seed, id);
        List<String> fs = life.stream().map(SourceOp::f).toList();
        switch (draw.shape()) {
          case HOT ->
              assertThat(fs.stream().filter("update"::equals).count())
                  .as("a hot order has many versions")
                  .isGreaterThanOrEqualTo(20);
          case REINSTATED -> assertThat(String.join(",", fs)).contains("update,cancel,update");
          case RECREATED -> {
            assertThat(String.join(",", fs)).contains("delete,create");
            SourceOp.Create first = (SourceOp.Create) life.get(0);
            SourceOp.Create again = (SourceOp.Create) life.get(fs.indexOf("delete") + 1);
            assertThat(again.customerId())
                .as("re-created for another customer")
                .isNotEqualTo(first.customerId());
          }
          case DELETED_EARLY -> assertThat(fs.subList(0, 2)).containsExactly("create", "delete");
          case BOUNDARY ->
              assertThat(
                      life.stream()
                          .filter(op -> op instanceof SourceOp.Update)
                          .map(op -> ((SourceOp.Update) op).totalCents())
                          .toList())
                  .as("totals at the edges")
                  .allMatch(Workload.BOUNDARY_TOTALS::contains);
          default -> {}
        }
      }
      List<List<SourceOp>> perWriter = Workload.byWriter(ops, spec.writers());
      for (long id = 1; id <= spec.orders(); id++) {
        if (Workload.draw(spec, seed, id).shape() != OrderShape.BURST) {
          continue;
        }
        long order = id;
        List<SourceOp> mine = perWriter.get((int) (id % spec.writers()));
        int first = -1;
        int last = -1;
        for (int i = 0; i < mine.size(); i++) {
          if (mine.get(i).orderId() == order) {
            first = first < 0 ? i : first;
            last = i;
          }
        }
        assertThat(last - first + 1)
            .as("seed %d: burst order %d is written back to back", seed, id)
            .isEqualTo(byOrder.get(id).size());
      }
      long big =
          ops.stream()
              .filter(
                  op -> op instanceof SourceOp.Create c && c.customerId() == Workload.BIG_CUSTOMER)
              .count();
      assertThat(big)
          .as("seed %d: one customer with many orders", seed)
          .isGreaterThan(spec.orders() / 10);
    }
  }

  @Test
  void withoutEdgesEveryOrderIsPlain() {
    assertThat(Workload.shapes(SPEC, 3))
        .containsEntry("plain", (long) SPEC.orders())
        .containsEntry("big-customer", 0L);
  }

  @Test
  void shrinkingOrdersKeepsTheOperationsOfTheKeptOrders() {
    WorkloadSpec edgy = SPEC.withEdgeFraction(0.5);
    Map<Long, List<SourceOp>> small = byOrder(Workload.generate(edgy.withOrders(20), 5));
    Map<Long, List<SourceOp>> large = byOrder(Workload.generate(edgy.withOrders(200), 5));
    for (long id = 1; id <= 20; id++) {
      assertThat(small.get(id)).as("order %d", id).isEqualTo(large.get(id));
    }
  }

  @Test
  void poisonIsSpreadOverTheRunAndCyclesThroughItsKinds() {
    WorkloadSpec spec =
        SPEC.withPoison(PoisonMix.count(5, List.of(PoisonKind.OVERSIZED, PoisonKind.MISSING_ID)));
    List<PoisonSpec> poison = Workload.poison(spec, 3, 1200);

    assertThat(poison)
        .extracting(PoisonSpec::kind)
        .containsExactly(
            PoisonKind.OVERSIZED,
            PoisonKind.MISSING_ID,
            PoisonKind.OVERSIZED,
            PoisonKind.MISSING_ID,
            PoisonKind.OVERSIZED);
    assertThat(poison)
        .extracting(PoisonSpec::afterOps)
        .containsExactly(200L, 400L, 600L, 800L, 1000L);
    assertThat(poison).extracting(PoisonSpec::key).doesNotHaveDuplicates();
    assertThat(Workload.poison(spec, 3, 1200)).isEqualTo(poison);

    WorkloadSpec fraction = SPEC.withPoison(PoisonMix.fraction(0.01, List.of(PoisonKind.values())));
    assertThat(Workload.poison(fraction, 3, 1200)).as("1%% of 1200").hasSize(12);
    assertThat(Workload.poison(SPEC, 3, 1200)).isEmpty();
  }

  private static Map<Long, List<SourceOp>> byOrder(List<SourceOp> ops) {
    Map<Long, List<SourceOp>> m = new HashMap<>();
    for (SourceOp op : ops) {
      m.computeIfAbsent(op.orderId(), k -> new java.util.ArrayList<>()).add(op);
    }
    return m;
  }
}
