package dev.cdcchaos.harness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class HistoryTest {

  @Test
  void timesAreWhatTheInjectedRunClockReads() {
    AtomicLong clock = new AtomicLong(26_000_000_000L);
    History h = new History(clock::get);
    h.note("harness", "infrastructure-up", Map.of());
    assertThat(h.ops().get(0).timeNanos())
        .as("a history created late still uses the run's time origin")
        .isEqualTo(26_000_000_000L);
  }

  @Test
  void startingNowCountsFromCreation() {
    AtomicLong clock = new AtomicLong(1_000_000);
    History h = History.startingNow(clock::get);
    clock.addAndGet(500);
    History.Handle w = h.invoke("writer-1", "create", Map.of("orderId", 7L));
    clock.addAndGet(250);
    h.ok(w, Map.of("orderId", 7L, "version", 1L));
    List<Op> ops = h.ops();
    assertThat(ops)
        .extracting(Op::timeNanos)
        .as("nanos since the history started")
        .containsExactly(500L, 750L);
    assertThat(ops).extracting(Op::type).containsExactly(Op.Type.INVOKE, Op.Type.OK);
    assertThat(ops.get(1).process()).isEqualTo("writer-1");
    assertThat(ops.get(1).f()).as("the completion carries the invoke's f").isEqualTo("create");
  }

  @Test
  void anOperationCompletesOnlyOnce() {
    History h = new History(() -> 0);
    History.Handle w = h.invoke("writer-1", "update", Map.of());
    h.fail(w, Map.of("error", "serialization failure"));
    assertThatThrownBy(() -> h.ok(w, Map.of()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("operation 0 (writer-1 update) was already completed");
  }

  @Test
  void openOperationsAreClosedAsInfoAtTheEnd() {
    History h = new History(() -> 0);
    h.invoke("writer-1", "update", Map.of("orderId", 1L));
    History.Handle done = h.invoke("writer-2", "update", Map.of("orderId", 2L));
    h.ok(done, Map.of());
    assertThat(h.pending()).hasSize(1);
    assertThat(h.closePending(Map.of("reason", "run ended"))).isEqualTo(1);
    Op last = h.ops().get(h.ops().size() - 1);
    assertThat(last.type())
        .as("an op that never returned has an unknown outcome")
        .isEqualTo(Op.Type.INFO);
    assertThat(last.process()).isEqualTo("writer-1");
    assertThat(h.pending()).isEmpty();
  }

  @Test
  void manyThreadsRecordWithoutLosingOrReorderingOps() throws Exception {
    History h = History.startingNow(System::nanoTime);
    int threads = 8;
    int perThread = 500;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch go = new CountDownLatch(1);
    try {
      for (int t = 0; t < threads; t++) {
        String process = "writer-" + t;
        pool.submit(
            () -> {
              go.await();
              for (int i = 0; i < perThread; i++) {
                History.Handle handle = h.invoke(process, "update", Map.of("i", (long) i));
                h.ok(handle, Map.of("i", (long) i));
              }
              return null;
            });
      }
      go.countDown();
      pool.shutdown();
      assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
    } finally {
      pool.shutdownNow();
    }
    List<Op> ops = h.ops();
    assertThat(ops).hasSize(threads * perThread * 2);
    List<Long> indexes = new ArrayList<>();
    ops.forEach(op -> indexes.add(op.index()));
    for (int i = 0; i < ops.size(); i++) {
      assertThat(indexes.get(i)).as("indexes are positions, without gaps").isEqualTo(i);
      if (i > 0) {
        assertThat(ops.get(i).timeNanos())
            .as("times never go back along the history")
            .isGreaterThanOrEqualTo(ops.get(i - 1).timeNanos());
      }
    }
    Map<String, Integer> open = new HashMap<>();
    for (Op op : ops) {
      int delta = op.type() == Op.Type.INVOKE ? 1 : -1;
      int now = open.merge(op.process(), delta, Integer::sum);
      assertThat(now).as("each process completes what it invoked, in order").isBetween(0, 1);
    }
  }
}
