package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Observed;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The slow-commit mechanism without a database: writer threads call the hook as {@code OrderWriter}
 * would inside their transaction; a call that blocks is a held transaction.
 */
class CommitStallTest {
  private final AtomicLong clock = new AtomicLong();
  private final History history = new History(clock::get);
  private final List<String> said = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  @AfterEach
  void noThreadLeftBlocked() {
    threads.forEach(Thread::interrupt);
  }

  private static OrderEvent event(long orderId) {
    return new OrderEvent(
        "00000000-0000-0000-0000-00000000000" + orderId,
        orderId + ":1",
        orderId,
        EventType.ORDER_CREATED,
        1,
        EventCodec.SCHEMA_VERSION,
        Instant.EPOCH,
        new OrderRow(orderId, 1, "NEW", 100, "EUR", 1, false),
        Map.of());
  }

  /** Writer {@code writer} reaches its commit with outbox id {@code outboxId} on its own thread. */
  private CompletableFuture<Void> commit(CommitStall stall, int writer, long outboxId) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                stall.hook(writer).beforeCommit(outboxId, event(outboxId));
                done.complete(null);
              } catch (RuntimeException e) {
                done.completeExceptionally(e);
              }
            },
            "writer-" + writer);
    t.setDaemon(true);
    threads.add(t);
    t.start();
    return done;
  }

  private static void awaitHeld(CommitStall stall, Integer... writers) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!stall.holding().equals(List.of(writers)) && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertThat(stall.holding()).as("writers holding a transaction open").containsExactly(writers);
  }

  private static boolean finishes(CompletableFuture<Void> commit) throws Exception {
    return finishes(commit, 10_000);
  }

  private static boolean finishes(CompletableFuture<Void> commit, long millis) throws Exception {
    try {
      commit.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private List<Op> notes(String f) {
    return history.ops().stream().filter(op -> f.equals(op.f())).toList();
  }

  @Test
  void withoutTheFaultEveryCommitGoesThrough() throws Exception {
    CommitStall stall = new CommitStall(2, history, said::add, clock::get);
    assertThat(finishes(commit(stall, 0, 1))).as("no fault, no stall").isTrue();
    assertThat(history.ops()).isEmpty();
  }

  @Test
  void eachFaultKnowsWhatItHeldTheEvidenceThatItTookEffect() throws Exception {
    CommitStall stall = new CommitStall(3, history, said::add, clock::get);
    CommitStall.Hold first = stall.hold(1, false);
    CompletableFuture<Void> held = commit(stall, 2, 7);
    awaitHeld(stall, 2);
    CommitStall.Hold idle = stall.hold(1, false);
    assertThat(first.held())
        .as("held, not released yet")
        .containsExactly(new Observed.HeldTransaction("writer-2", 7, OptionalLong.empty()));
    clock.set(1_500_000_000L);
    first.run();
    assertThat(finishes(held)).isTrue();
    idle.run();
    assertThat(first.held())
        .containsExactly(new Observed.HeldTransaction("writer-2", 7, OptionalLong.of(1500)));
    assertThat(idle.held()).as("a fault that held nothing has no evidence").isEmpty();
  }

  @Test
  void theNextWriterHoldsItsTransactionUntilTheFaultHealsWhileOthersCommit() throws Exception {
    CommitStall stall = new CommitStall(3, history, said::add, clock::get);
    Runnable heal = stall.hold(1, false);
    CompletableFuture<Void> held = commit(stall, 1, 41);
    awaitHeld(stall, 1);

    assertThat(finishes(commit(stall, 0, 42)))
        .as("another writer commits a higher id while id 41 is held")
        .isTrue();
    assertThat(finishes(commit(stall, 2, 43))).isTrue();
    assertThat(held).as("the held transaction has not committed").isNotDone();

    clock.set(2_000_000_000L);
    heal.run();
    assertThat(finishes(held)).as("healing lets the held writer commit").isTrue();
    assertThat(notes("slow-commit-hold"))
        .singleElement()
        .satisfies(
            op -> {
              assertThat(op.process()).isEqualTo("writer-1");
              assertThat(op.value())
                  .as("the note names the held outbox event")
                  .containsEntry("outbox_id", 41L)
                  .containsEntry("order", 41L)
                  .containsEntry("version", 1L);
            });
    assertThat(notes("slow-commit-release"))
        .singleElement()
        .satisfies(
            op ->
                assertThat(op.value())
                    .containsEntry("outbox_id", 41L)
                    .containsEntry("held_ms", 2000L)
                    .containsEntry("why", "healed"));
    assertThat(said).anyMatch(line -> line.contains("writer-1 holds outbox id 41"));
  }

  @Test
  void eachStalledWriterHoldsExactlyOneTransactionAndNoMoreWritersThanAsked() throws Exception {
    CommitStall stall = new CommitStall(4, history, said::add, clock::get);
    Runnable heal = stall.hold(2, false);
    CompletableFuture<Void> first = commit(stall, 0, 10);
    awaitHeld(stall, 0);
    CompletableFuture<Void> second = commit(stall, 2, 11);
    awaitHeld(stall, 0, 2);
    assertThat(finishes(commit(stall, 1, 12)))
        .as("a third writer is not stalled by a slow-commit of 2")
        .isTrue();
    heal.run();
    assertThat(finishes(first) && finishes(second)).isTrue();
    assertThat(finishes(commit(stall, 0, 13)))
        .as("after healing, the same writer's next transaction commits at once")
        .isTrue();

    Runnable healAgain = stall.hold(1, false);
    CompletableFuture<Void> again = commit(stall, 0, 14);
    awaitHeld(stall, 0);
    healAgain.run();
    assertThat(finishes(again)).as("a new fault may pick the same writer again").isTrue();
  }

  @Test
  void overlappingFaultsEachReleaseOnlyTheirOwnWriters() throws Exception {
    CommitStall stall = new CommitStall(4, history, said::add, clock::get);
    Runnable healFirst = stall.hold(1, false);
    CompletableFuture<Void> first = commit(stall, 0, 1);
    awaitHeld(stall, 0);
    Runnable healSecond = stall.hold(1, false);
    CompletableFuture<Void> second = commit(stall, 1, 2);
    awaitHeld(stall, 0, 1);

    healFirst.run();
    assertThat(finishes(first)).isTrue();
    assertThat(second).as("the second fault still holds its writer").isNotDone();
    assertThat(stall.holding()).containsExactly(1);
    healSecond.run();
    assertThat(finishes(second)).isTrue();
  }

  @Test
  void withoutForTheHeldWriterIsReleasedWhenEveryOtherWriterFinished() throws Exception {
    CommitStall stall = new CommitStall(3, history, said::add, clock::get);
    stall.hold(1, true);
    CompletableFuture<Void> held = commit(stall, 0, 5);
    awaitHeld(stall, 0);
    stall.writerFinished();
    assertThat(held).as("one other writer is still writing").isNotDone();
    stall.writerFinished();
    assertThat(finishes(held))
        .as("the last writers running all being held would be a deadlock: they are released")
        .isTrue();
    assertThat(notes("slow-commit-release"))
        .singleElement()
        .satisfies(
            op -> assertThat(op.value()).containsEntry("why", "every other writer finished"));
  }

  @Test
  void withForTheHeldWriterWaitsForTheHealEvenWhenTheOthersFinished() throws Exception {
    CommitStall stall = new CommitStall(2, history, said::add, clock::get);
    Runnable heal = stall.hold(1, false);
    CompletableFuture<Void> held = commit(stall, 0, 5);
    awaitHeld(stall, 0);
    stall.writerFinished();
    assertThat(finishes(held, 300))
        .as("a fault with 'for' commits only when it heals; time heals it, no deadlock")
        .isFalse();
    heal.run();
    assertThat(finishes(held)).isTrue();
  }

  @Test
  void aWriterWithoutForWaitsForAWriterHeldWithFor() throws Exception {
    CommitStall stall = new CommitStall(3, history, said::add, clock::get);
    Runnable timedHeal = stall.hold(1, false);
    CompletableFuture<Void> timed = commit(stall, 0, 1);
    awaitHeld(stall, 0);
    stall.hold(1, true);
    CompletableFuture<Void> untimed = commit(stall, 1, 2);
    awaitHeld(stall, 0, 1);
    stall.writerFinished();
    assertThat(finishes(untimed, 300))
        .as("writer 0 will commit and write on once its fault heals")
        .isFalse();
    timedHeal.run();
    assertThat(finishes(timed)).isTrue();
    stall.writerFinished();
    assertThat(finishes(untimed)).as("now every other writer finished").isTrue();
  }

  @Test
  void aFaultThatHeldNothingSaysSo() {
    CommitStall stall = new CommitStall(2, history, said::add, clock::get);
    stall.hold(1, false).run();
    assertThat(notes("slow-commit-idle")).as("an idle slow-commit is visible").hasSize(1);
    assertThat(said).anyMatch(line -> line.contains("without holding anything"));
  }

  @Test
  void aWriterReachingItsCommitAfterTheOthersFinishedIsNotHeld() throws Exception {
    CommitStall stall = new CommitStall(2, history, said::add, clock::get);
    stall.writerFinished();
    stall.hold(1, true);
    assertThat(finishes(commit(stall, 0, 7)))
        .as("nobody else is left to commit a higher id: holding would only wait forever")
        .isTrue();
  }

  @Test
  void stoppingTheRunReleasesHeldWritersAndNothingStallsAfterwards() throws Exception {
    CommitStall stall = new CommitStall(3, history, said::add, clock::get);
    stall.hold(2, false);
    CompletableFuture<Void> held = commit(stall, 0, 1);
    awaitHeld(stall, 0);
    stall.stop();
    assertThat(finishes(held)).isTrue();
    assertThat(finishes(commit(stall, 1, 2))).as("a stopped run stalls nobody").isTrue();
    assertThat(notes("slow-commit-release"))
        .singleElement()
        .satisfies(op -> assertThat(op.value()).containsEntry("why", "run stopped"));
  }

  @Test
  void anInterruptedHeldWriterFailsItsTransaction() throws Exception {
    CommitStall stall = new CommitStall(2, history, said::add, clock::get);
    stall.hold(1, false);
    CompletableFuture<Void> held = commit(stall, 0, 9);
    awaitHeld(stall, 0);
    threads.get(0).interrupt();
    try {
      held.get(10, TimeUnit.SECONDS);
      throw new AssertionError("an interrupted held writer must not commit");
    } catch (ExecutionException e) {
      assertThat(e.getCause())
          .as("thrown inside the transaction, so it rolls back")
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("outbox id 9");
    }
    assertThat(stall.holding()).isEmpty();
  }
}
