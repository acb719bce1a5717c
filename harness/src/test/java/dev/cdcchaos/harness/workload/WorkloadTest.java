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
      new WorkloadSpec(500, 4, 4, 0, 0.1, 0.05, 0.2, PoisonMix.NONE);

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

  @Test
  void shrinkingOrdersKeepsTheOperationsOfTheKeptOrders() {
    Map<Long, List<SourceOp>> small = byOrder(Workload.generate(SPEC.withOrders(20), 5));
    Map<Long, List<SourceOp>> large = byOrder(Workload.generate(SPEC.withOrders(200), 5));
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
