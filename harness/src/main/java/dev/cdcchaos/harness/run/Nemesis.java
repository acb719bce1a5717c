package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Executes a scenario's fault schedule, Jepsen's nemesis: the schedule is a value (the list of
 * {@link FaultSpec}s), and each {@link #tick} fires the faults whose trigger was reached and heals
 * the ones whose window ended. Time comes from an injected clock, so the schedule is tested without
 * servers; faults are started through an {@link Injector}.
 *
 * <p>Not thread-safe: one thread (the runner's) ticks it.
 */
final class Nemesis {

  /** Starts one fault on the running system and returns how to heal it. */
  @FunctionalInterface
  interface Injector {
    FaultInjector.Heal start(FaultSpec spec);
  }

  /** What a tick knows of the pipeline's progress: the counters a trigger may wait for. */
  record Progress(long committed, long published, long applied) {}

  /** A fault that started and has not healed yet. */
  private record Active(FaultSpec spec, FaultInjector.Heal heal, long endAtNanos) {
    boolean untilWorkloadDone() {
      return endAtNanos == Long.MAX_VALUE;
    }
  }

  private final Injector injector;
  private final LongSupplier nanoTime;
  private final List<FaultSpec> pending;
  private final List<Active> active = new ArrayList<>();
  private long startNanos;
  private long lastHealNanos;

  /**
   * @param schedule the faults, in any order; each fires once
   * @param nanoTime the clock (monotonic nanoseconds)
   */
  Nemesis(List<FaultSpec> schedule, Injector injector, LongSupplier nanoTime) {
    this.pending = new ArrayList<>(schedule);
    this.injector = injector;
    this.nanoTime = nanoTime;
  }

  /** The workload starts now: time triggers count from here. */
  void start() {
    startNanos = nanoTime.getAsLong();
    lastHealNanos = startNanos;
  }

  /**
   * Fires, before the writers start, the faults a schedule puts at the very start ({@code after:
   * 0s}), so that they take the workload's first write; then waits until {@code awaitFirstCommit}
   * says the workload committed, and counts the other time triggers from there: on a loaded machine
   * the writers may take seconds to commit their first operation, and a fault {@code after: 1s}
   * must land on traffic, not on idle links. {@code writers} starts the workload. {@code
   * awaitFirstCommit} is given the action to run on every poll while it waits: it heals the faults
   * whose window ended, for a fault at 0s may be what keeps the first commit from coming (a {@code
   * slow-commit} of the only writer holds it for exactly its {@code for}, not until the wait gives
   * up).
   */
  void startAroundFirstCommit(Runnable writers, Consumer<Runnable> awaitFirstCommit) {
    start();
    tick(new Progress(0, 0, 0), false);
    writers.run();
    awaitFirstCommit.accept(this::healEnded);
    long now = nanoTime.getAsLong();
    if (lastHealNanos == startNanos) {
      lastHealNanos = now;
    }
    startNanos = now;
  }

  /** Heals every active fault whose window ended, and fires nothing. */
  void healEnded() {
    heal(false);
  }

  /**
   * Heals every active fault whose window ended, and, once {@code workloadDone}, those held until
   * the workload finished.
   */
  private void heal(boolean workloadDone) {
    for (Iterator<Active> it = active.iterator(); it.hasNext(); ) {
      Active a = it.next();
      if (nanoTime.getAsLong() >= a.endAtNanos || (workloadDone && a.untilWorkloadDone())) {
        it.remove();
        a.heal.heal();
        lastHealNanos = nanoTime.getAsLong();
      }
    }
  }

  /**
   * Fires every pending fault whose trigger {@code progress} or the clock reached, then heals every
   * active fault whose window ended; a fault held "until the workload finished" (a window fault
   * without {@code for}) heals once {@code workloadDone}.
   */
  void tick(Progress progress, boolean workloadDone) {
    long sinceStartMs = (nanoTime.getAsLong() - startNanos) / 1_000_000;
    for (Iterator<FaultSpec> it = pending.iterator(); it.hasNext(); ) {
      FaultSpec spec = it.next();
      if (fires(spec.at(), sinceStartMs, progress)) {
        it.remove();
        FaultInjector.Heal heal = injector.start(spec);
        long now = nanoTime.getAsLong();
        long endAt =
            spec.duration()
                .map(d -> now + d.toNanos())
                .orElse(spec.fault().healing() == Fault.Healing.WINDOW ? Long.MAX_VALUE : now);
        active.add(new Active(spec, heal, endAt));
      }
    }
    heal(workloadDone);
  }

  /** Whether a fault is holding now. */
  boolean anyActive() {
    return !active.isEmpty();
  }

  /** The kinds of the faults holding now, in the order they started. */
  List<String> activeKinds() {
    return active.stream().map(a -> a.spec.fault().kind().key()).toList();
  }

  /** Whether a fault with a time trigger has not fired yet (it will: time passes). */
  boolean timeTriggersLeft() {
    return pending.stream().anyMatch(f -> f.at() instanceof Trigger.After);
  }

  /** Whether a fault waits for a progress counter that may never get there. */
  boolean progressTriggersLeft() {
    return pending.stream().anyMatch(f -> f.at() instanceof Trigger.Progress);
  }

  /** The faults that have not fired. */
  List<FaultSpec> pending() {
    return List.copyOf(pending);
  }

  /** Heals every fault holding now (the run ran out of time or is being torn down). */
  void healAll() {
    for (Active a : active) {
      a.heal.heal();
      lastHealNanos = nanoTime.getAsLong();
    }
    active.clear();
  }

  /** When the last fault healed, or when the workload started if none has. */
  long lastHealNanos() {
    return lastHealNanos;
  }

  /** How long the schedule's faults hold in all, for the run's time budget. */
  static Duration totalDuration(List<FaultSpec> schedule) {
    return Duration.ofMillis(
        schedule.stream().mapToLong(f -> f.duration().map(Duration::toMillis).orElse(0L)).sum());
  }

  static boolean fires(Trigger at, long sinceStartMs, Progress progress) {
    if (at instanceof Trigger.After after) {
      return sinceStartMs >= after.offset().toMillis();
    }
    Trigger.Progress p = (Trigger.Progress) at;
    long value =
        switch (p.counter()) {
          case EVENTS_COMMITTED -> progress.committed();
          case EVENTS_PUBLISHED -> progress.published();
          case EVENTS_APPLIED -> progress.applied();
        };
    return value >= p.count();
  }
}
