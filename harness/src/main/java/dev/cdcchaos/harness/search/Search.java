package dev.cdcchaos.harness.search;

import dev.cdcchaos.harness.scenario.Scenario;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.function.Predicate;

/**
 * The search loop: draw scenarios from consecutive seeds, run each, and shrink the first that fails
 * to a minimal scenario, ready to be written as a scenario file that replays it. Running a scenario
 * is the caller's {@code fails} predicate, so the loop itself stays pure.
 */
public final class Search {
  private Search() {}

  /**
   * A failing run and its shrunk form.
   *
   * @param seed the seed whose scenario failed
   * @param failing the scenario drawn from {@code seed}
   * @param shrunk the shrinker's result
   */
  public record Found(long seed, Scenario failing, Shrinker.Result shrunk) {

    /** The minimal failing scenario, named and described for a scenario file. */
    public Scenario minimal() {
      Scenario min = shrunk.minimal();
      return min.withName(failing.name() + "-min")
          .withDescription(
              "Minimal failing run found by the schedule search from seed "
                  + seed
                  + ": shrunk from "
                  + failing.faults().size()
                  + " faults and "
                  + failing.workload().orders()
                  + " orders to "
                  + min.faults().size()
                  + " faults and "
                  + min.workload().orders()
                  + " orders in "
                  + shrunk.attempts()
                  + " attempts"
                  + (shrunk.exhausted() ? " (budget spent, may shrink further)" : "")
                  + ".");
    }
  }

  /**
   * Tries the scenarios of seeds {@code firstSeed .. firstSeed + runs - 1}; shrinks the first that
   * fails. Empty when none failed.
   */
  public static Optional<Found> run(
      long firstSeed,
      int runs,
      SearchSpace space,
      Predicate<Scenario> fails,
      Shrinker shrinker,
      Consumer<String> log) {
    return run(
        firstSeed, runs, seed -> ScheduleGenerator.random(seed, space), fails, shrinker, log);
  }

  /**
   * Like {@link #run(long, int, SearchSpace, Predicate, Shrinker, Consumer)}, with the scenario of
   * each seed drawn by {@code draw} (e.g. a generated scenario pinned to a pipeline variant).
   */
  public static Optional<Found> run(
      long firstSeed,
      int runs,
      LongFunction<Scenario> draw,
      Predicate<Scenario> fails,
      Shrinker shrinker,
      Consumer<String> log) {
    return run(Shard.ALL.seeds(firstSeed, runs), draw, fails, shrinker, log);
  }

  /**
   * Tries the scenario of each of {@code seeds} in order (a campaign, or one {@link Shard} of it);
   * shrinks the first that fails.
   */
  public static Optional<Found> run(
      List<Long> seeds,
      LongFunction<Scenario> draw,
      Predicate<Scenario> fails,
      Shrinker shrinker,
      Consumer<String> log) {
    for (int i = 0; i < seeds.size(); i++) {
      long seed = seeds.get(i);
      Scenario s = draw.apply(seed);
      log.accept(
          "run "
              + (i + 1)
              + "/"
              + seeds.size()
              + ": seed "
              + seed
              + ", "
              + s.faults().size()
              + " faults, "
              + s.workload().orders()
              + " orders");
      if (fails.test(s)) {
        log.accept("seed " + seed + " failed; shrinking");
        return Optional.of(new Found(seed, s, shrinker.shrink(s, fails)));
      }
    }
    return Optional.empty();
  }
}
