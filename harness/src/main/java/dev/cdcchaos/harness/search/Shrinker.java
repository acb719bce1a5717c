package dev.cdcchaos.harness.search;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.Topology;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Reduces a failing scenario to a small one that still fails: delta debugging (ddmin) over the
 * fault schedule, then the workload (orders, updates, writers, cancels, deletes, drift, poison) and
 * the topology towards their minimum, repeated until nothing shrinks or the attempt budget is
 * spent.
 *
 * <p>Each attempt runs {@code stillFails} once (a whole run of the pipeline, in a real search), so
 * the budget bounds the search's wall time. Candidates already tried are not tried again. Whatever
 * happens, the result is a scenario that was seen to fail: the input, if nothing smaller did.
 * Progress triggers are clamped to what a smaller workload still reaches, so every candidate is a
 * valid scenario file.
 */
public final class Shrinker {

  /** One attempt: the change tried, whether the candidate still failed, and the budget. */
  public record Step(int attempt, int maxAttempts, String change, boolean stillFails) {}

  /** An attempt about to run: the change being tried and the budget. */
  public record Attempt(int attempt, int maxAttempts, String change) {}

  /**
   * The outcome.
   *
   * @param minimal the smallest scenario seen failing
   * @param attempts predicate calls made
   * @param exhausted whether the budget ran out before nothing more would shrink
   */
  public record Result(Scenario minimal, int attempts, boolean exhausted) {}

  private final int maxAttempts;
  private final Consumer<Attempt> starting;
  private final Consumer<Step> progress;

  /**
   * @param maxAttempts most calls of the predicate
   * @param progress told about every attempt (e.g. to print a line or move a progress bar)
   */
  public Shrinker(int maxAttempts, Consumer<Step> progress) {
    this(maxAttempts, a -> {}, progress);
  }

  /**
   * @param maxAttempts most calls of the predicate
   * @param starting told before each attempt runs (a real run takes a while)
   * @param progress told about every attempt once its outcome is known
   */
  public Shrinker(int maxAttempts, Consumer<Attempt> starting, Consumer<Step> progress) {
    if (maxAttempts < 0) {
      throw new IllegalArgumentException("maxAttempts must not be negative");
    }
    this.maxAttempts = maxAttempts;
    this.starting = Objects.requireNonNull(starting, "starting");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Shrinks {@code failing}, which the caller saw fail, keeping {@code stillFails} true. */
  public Result shrink(Scenario failing, Predicate<Scenario> stillFails) {
    return new Run(stillFails).shrink(failing);
  }

  /** Signals that the attempt budget is spent. */
  private static final class OutOfAttempts extends RuntimeException {
    private static final long serialVersionUID = 1L;

    OutOfAttempts() {
      super(null, null, false, false);
    }
  }

  private final class Run {
    private final Predicate<Scenario> stillFails;
    private final Map<Scenario, Boolean> tried = new HashMap<>();
    private int attempts;
    private Scenario best;

    Run(Predicate<Scenario> stillFails) {
      this.stillFails = stillFails;
    }

    Result shrink(Scenario failing) {
      best = failing;
      tried.put(failing, true);
      try {
        boolean changed = true;
        while (changed) {
          Scenario before = best;
          shrinkFaults();
          shrinkWorkload();
          shrinkTopology();
          changed = !best.equals(before);
        }
        return new Result(best, attempts, false);
      } catch (OutOfAttempts e) {
        return new Result(best, attempts, true);
      }
    }

    /** Tries {@code candidate}; if it still fails it becomes the best. */
    boolean attempt(Scenario candidate, String change) {
      Scenario c = fit(candidate);
      Boolean known = tried.get(c);
      if (known != null) {
        return known && adopt(c);
      }
      if (attempts >= maxAttempts) {
        throw new OutOfAttempts();
      }
      attempts++;
      starting.accept(new Attempt(attempts, maxAttempts, change));
      boolean fails = stillFails.test(c);
      tried.put(c, fails);
      progress.accept(new Step(attempts, maxAttempts, change, fails));
      return fails && adopt(c);
    }

    private boolean adopt(Scenario c) {
      best = c;
      return true;
    }

    // ddmin (Zeller and Hildebrandt) over the fault schedule
    void shrinkFaults() {
      List<FaultSpec> faults = best.faults();
      if (faults.isEmpty()) {
        return;
      }
      if (attempt(best.withFaults(List.of()), "no faults")) {
        return;
      }
      int n = 2;
      while (faults.size() >= 2) {
        List<List<FaultSpec>> chunks = split(faults, n);
        boolean reduced = false;
        for (List<FaultSpec> chunk : chunks) {
          if (attempt(best.withFaults(chunk), "keep faults " + describe(chunk))) {
            faults = chunk;
            n = 2;
            reduced = true;
            break;
          }
        }
        if (!reduced && n > 2) {
          for (List<FaultSpec> chunk : chunks) {
            List<FaultSpec> complement = new ArrayList<>(faults);
            complement.removeAll(chunk);
            if (attempt(best.withFaults(complement), "drop faults " + describe(chunk))) {
              faults = complement;
              n = Math.max(n - 1, 2);
              reduced = true;
              break;
            }
          }
        }
        if (!reduced) {
          if (n >= faults.size()) {
            break;
          }
          n = Math.min(2 * n, faults.size());
        }
      }
    }

    void shrinkWorkload() {
      shrinkInt(
          "orders",
          1,
          s -> s.workload().orders(),
          (s, v) -> s.withWorkload(s.workload().withOrders(v)));
      shrinkInt(
          "updates_per_order",
          0,
          s -> s.workload().updatesPerOrder(),
          (s, v) -> s.withWorkload(s.workload().withUpdatesPerOrder(v)));
      // a slow-commit of n writers needs n + 1 writers to be a valid scenario
      int fewestWriters =
          1
              + best.faults().stream()
                  .mapToInt(f -> f.fault() instanceof Fault.SlowCommit c ? c.writers() : 0)
                  .max()
                  .orElse(0);
      shrinkInt(
          "writers",
          fewestWriters,
          s -> s.workload().writers(),
          (s, v) -> s.withWorkload(s.workload().withWriters(v)));
      WorkloadSpec w = best.workload();
      if (w.cancelFraction() > 0) {
        attempt(
            best.withWorkload(w.withFractions(0, w.deleteFraction(), w.schemaDriftFraction())),
            "no cancels");
      }
      w = best.workload();
      if (w.deleteFraction() > 0) {
        attempt(
            best.withWorkload(w.withFractions(w.cancelFraction(), 0, w.schemaDriftFraction())),
            "no deletes");
      }
      w = best.workload();
      if (w.schemaDriftFraction() > 0) {
        attempt(
            best.withWorkload(w.withFractions(w.cancelFraction(), w.deleteFraction(), 0)),
            "no schema drift");
      }
      w = best.workload();
      if (!w.poison().isNone()) {
        attempt(best.withWorkload(w.withPoison(PoisonMix.NONE)), "no poison");
      }
    }

    void shrinkTopology() {
      Topology t = best.topology();
      if (t.brokers() == 3 && best.faults().stream().noneMatch(Shrinker::needsThreeBrokers)) {
        attempt(
            best.withTopology(new Topology(1, t.partitions(), 1, t.publishers())), "one broker");
      }
      shrinkInt(
          "partitions",
          1,
          s -> s.topology().partitions(),
          (s, v) ->
              s.withTopology(
                  new Topology(
                      s.topology().brokers(),
                      v,
                      s.topology().replicationFactor(),
                      s.topology().publishers())));
    }

    /**
     * Finds the smallest value in [floor, current] that still fails, assuming smaller values fail
     * less often: tries the floor, then bisects.
     */
    void shrinkInt(
        String what,
        int floor,
        ToIntFunction<Scenario> get,
        java.util.function.BiFunction<Scenario, Integer, Scenario> set) {
      int current = get.applyAsInt(best);
      if (current <= floor) {
        return;
      }
      Scenario base = best;
      IntFunction<Boolean> fails = v -> attempt(set.apply(base, v), what + " " + v);
      if (fails.apply(floor)) {
        return;
      }
      int lo = floor;
      int hi = current;
      while (hi - lo > 1) {
        int mid = lo + (hi - lo) / 2;
        if (fails.apply(mid)) {
          hi = mid;
        } else {
          lo = mid;
        }
      }
    }
  }

  /** Clamps progress triggers to what the candidate's workload reaches. */
  static Scenario fit(Scenario s) {
    long max = s.workload().minEvents();
    List<FaultSpec> fitted = new ArrayList<>(s.faults().size());
    boolean changed = false;
    for (FaultSpec f : s.faults()) {
      if (f.at() instanceof Trigger.Progress p && p.count() > max) {
        fitted.add(f.withAt(new Trigger.Progress(p.counter(), max)));
        changed = true;
      } else {
        fitted.add(f);
      }
    }
    return changed ? s.withFaults(fitted) : s;
  }

  private static boolean needsThreeBrokers(FaultSpec f) {
    return f.fault() instanceof Fault.OnProcess p
        && p.target() instanceof Target.Broker b
        && b.number() > 1;
  }

  private static <T> List<List<T>> split(List<T> items, int n) {
    List<List<T>> chunks = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < n; i++) {
      int end = start + (items.size() - start) / (n - i);
      chunks.add(List.copyOf(items.subList(start, end)));
      start = end;
    }
    chunks.removeIf(List::isEmpty);
    return chunks;
  }

  private static String describe(List<FaultSpec> faults) {
    return faults.stream().map(f -> f.fault().kind()).toList().toString();
  }
}
