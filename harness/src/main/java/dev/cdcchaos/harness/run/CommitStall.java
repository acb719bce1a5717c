package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Observed;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.source.BeforeCommit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The mechanism of the {@code slow-commit} fault: writers that reach their commit while the fault
 * holds stay inside their transaction (outbox id taken, row invisible) until it heals, while the
 * other writers keep committing higher ids.
 *
 * <p>Each stalled writer holds exactly one transaction per fault. Held writers are released when
 * the fault heals and when the run stops. A fault without {@code for} holds "until the workload
 * finished writing", which its own writers never would: its writers are released as soon as every
 * other writer finished. Each hold and release is a note in the history naming the held outbox
 * event; a fault that healed without holding anything (no writer reached a commit while it held)
 * says so too.
 */
final class CommitStall {
  private final History history;
  private final Consumer<String> progress;
  private final LongSupplier nanoTime;
  private final List<Stall> open = new ArrayList<>();
  private final Map<Integer, Held> holding = new LinkedHashMap<>();
  private int running;
  private boolean stopped;

  /** One slow-commit fault: how many writers it still stalls and which it picked. */
  private static final class Stall {
    final boolean untilOthersFinished;
    int toStall;
    final Set<Integer> picked = new HashSet<>();

    /** What it held, in hold order: the evidence that it took effect. */
    final List<HeldRecord> held = new ArrayList<>();

    Stall(int toStall, boolean untilOthersFinished) {
      this.toStall = toStall;
      this.untilOthersFinished = untilOthersFinished;
    }
  }

  private record Held(
      Stall fault, long outboxId, OrderEvent event, long sinceNanos, HeldRecord record) {}

  /** A transaction one fault held; {@code heldMs} is set when it is released. */
  private static final class HeldRecord {
    final int writer;
    final long outboxId;
    Long heldMs;

    HeldRecord(int writer, long outboxId) {
      this.writer = writer;
      this.outboxId = outboxId;
    }
  }

  /**
   * A started slow-commit fault: {@link #run()} heals it, {@link #held()} says what it held so far.
   */
  final class Hold implements Runnable {
    private final Stall fault;

    private Hold(Stall fault) {
      this.fault = fault;
    }

    @Override
    public void run() {
      heal(fault);
    }

    /** The transactions this fault held, each with how long once released. */
    List<Observed.HeldTransaction> held() {
      synchronized (CommitStall.this) {
        return fault.held.stream()
            .map(
                r ->
                    new Observed.HeldTransaction(
                        "writer-" + r.writer,
                        r.outboxId,
                        r.heldMs == null ? OptionalLong.empty() : OptionalLong.of(r.heldMs)))
            .toList();
      }
    }
  }

  /**
   * @param writers the workload's writers, all running at first
   * @param nanoTime the clock held times are measured with
   */
  CommitStall(int writers, History history, Consumer<String> progress, LongSupplier nanoTime) {
    this.running = writers;
    this.history = history;
    this.progress = progress;
    this.nanoTime = nanoTime;
  }

  /** The hook writer {@code writer} calls inside each transaction before committing. */
  BeforeCommit hook(int writer) {
    return (outboxId, event) -> atCommit(writer, outboxId, event);
  }

  /**
   * A fault starts: the next {@code writers} writers to reach a commit hold it (one transaction
   * each) until the returned heal runs. Faults may overlap; each heal releases only its writers.
   *
   * @param untilOthersFinished the fault has no {@code for}: its writers are also released once
   *     every other writer finished
   */
  synchronized Hold hold(int writers, boolean untilOthersFinished) {
    if (writers < 1) {
      throw new IllegalArgumentException("slow-commit needs at least 1 writer");
    }
    Stall fault = new Stall(stopped ? 0 : writers, untilOthersFinished);
    open.add(fault);
    return new Hold(fault);
  }

  /** Writer finished its operations (or gave up); held writers left alone are released. */
  synchronized void writerFinished() {
    running--;
    releaseIfAlone();
  }

  /** The run stops: held writers are released and nothing stalls again. */
  synchronized void stop() {
    stopped = true;
    open.forEach(f -> f.toStall = 0);
    release(h -> true, "run stopped");
  }

  /** Writers holding a transaction open right now. */
  synchronized List<Integer> holding() {
    return List.copyOf(holding.keySet());
  }

  private synchronized void heal(Stall fault) {
    fault.toStall = 0;
    open.remove(fault);
    if (fault.picked.isEmpty()) {
      history.note(
          "nemesis",
          "slow-commit-idle",
          Map.of("note", "no writer reached a commit while the slow-commit held"));
      progress.accept("  slow-commit healed without holding anything: no writer reached a commit");
    }
    release(h -> h.fault() == fault, "healed");
  }

  private synchronized void atCommit(int writer, long outboxId, OrderEvent event) {
    if (stopped) {
      return;
    }
    Stall fault =
        open.stream()
            .filter(f -> f.toStall > 0 && !f.picked.contains(writer))
            .findFirst()
            .orElse(null);
    if (fault == null) {
      return;
    }
    fault.toStall--;
    fault.picked.add(writer);
    HeldRecord record = new HeldRecord(writer, outboxId);
    fault.held.add(record);
    holding.put(writer, new Held(fault, outboxId, event, nanoTime.getAsLong(), record));
    history.note(
        "writer-" + writer,
        "slow-commit-hold",
        Map.of(
            "outbox_id",
            outboxId,
            "order",
            event.orderId(),
            "version",
            event.version(),
            "event",
            event.eventId(),
            "key",
            event.idempotencyKey()));
    progress.accept(
        "  slow-commit: writer-"
            + writer
            + " holds outbox id "
            + outboxId
            + " (order "
            + event.orderId()
            + " v"
            + event.version()
            + ") uncommitted");
    releaseIfAlone();
    try {
      while (holding.containsKey(writer)) {
        wait();
      }
    } catch (InterruptedException e) {
      holding.remove(writer);
      Thread.currentThread().interrupt();
      // thrown inside the transaction: it rolls back, as a killed application thread's would
      throw new IllegalStateException("interrupted while holding outbox id " + outboxId, e);
    }
  }

  /**
   * Writers held by faults without {@code for} are released once they are the only writers still
   * running: the workload they wait for has finished writing.
   */
  private void releaseIfAlone() {
    long untilOthersFinished =
        holding.values().stream().filter(h -> h.fault().untilOthersFinished).count();
    if (untilOthersFinished > 0 && untilOthersFinished >= running) {
      open.stream().filter(f -> f.untilOthersFinished).forEach(f -> f.toStall = 0);
      release(h -> h.fault().untilOthersFinished, "every other writer finished");
    }
  }

  private void release(Predicate<Held> which, String why) {
    for (Iterator<Map.Entry<Integer, Held>> it = holding.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Integer, Held> e = it.next();
      Held h = e.getValue();
      if (!which.test(h)) {
        continue;
      }
      it.remove();
      long heldMs = (nanoTime.getAsLong() - h.sinceNanos()) / 1_000_000;
      h.record().heldMs = heldMs;
      history.note(
          "writer-" + e.getKey(),
          "slow-commit-release",
          Map.of("outbox_id", h.outboxId(), "held_ms", heldMs, "why", why));
    }
    notifyAll();
  }
}
