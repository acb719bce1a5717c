package dev.cdcchaos.harness.search;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.scenario.Scenario;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The search's predicate over real runs: a scenario fails when running it gives a verdict other
 * than valid (unknown counts as failing: a run that could not be observed is never a pass).
 *
 * <p>The first failing run fixes the failure being hunted. From then on (while shrinking) a run
 * counts as failing only when it fails the same way: the same overall verdict and at least one of
 * the same invariants not valid. So the shrinker cannot slip from the bug it found to a different
 * one, e.g. from a visible duplicate to a run that merely did not drain.
 *
 * <p>A run that is unknown only because some of its faults did not take effect (every invariant
 * held, but a crash point was never reached, a partition hit an idle link) is not a failure of the
 * pipeline: a random schedule that proved nothing. It does not count as failing, and says so.
 */
public final class FailureOracle implements Predicate<Scenario> {

  /**
   * How a failure looked.
   *
   * @param overall invalid or unknown
   * @param invariants the invariants that were not valid
   */
  public record Failure(Verdict overall, Set<String> invariants) {
    public Failure {
      invariants = Set.copyOf(invariants);
    }

    /** The failure of {@code verdict}, empty when it is valid. */
    public static Optional<Failure> of(RunVerdict verdict) {
      // not-applicable is no failure (and the search never counts it as valid either)
      if (verdict.overall() == Verdict.VALID || verdict.overall() == Verdict.NOT_APPLICABLE) {
        return Optional.empty();
      }
      Set<String> names = new LinkedHashSet<>();
      for (CheckResult r : verdict.results()) {
        if (r.verdict() != Verdict.VALID && r.verdict() != Verdict.NOT_APPLICABLE) {
          names.add(r.invariant());
        }
      }
      return Optional.of(new Failure(verdict.overall(), names));
    }

    /**
     * Whether the only thing not valid is that faults did not take effect: the schedule proved
     * nothing, the pipeline did nothing wrong.
     */
    public boolean onlyFaultsMissed() {
      return overall == Verdict.UNKNOWN && invariants.equals(Set.of(FaultEffects.CHECK));
    }

    /** Whether {@code other} is this failure again (same verdict, a shared failed invariant). */
    public boolean matches(Failure other) {
      return overall == other.overall && other.invariants.stream().anyMatch(invariants::contains);
    }
  }

  /**
   * One judged run.
   *
   * @param scenario what ran
   * @param verdict what the checkers said
   * @param fails whether it counts as failing
   * @param why one line saying why it counts or not
   */
  public record Judgement(Scenario scenario, RunVerdict verdict, boolean fails, String why) {}

  private final Function<Scenario, RunVerdict> run;
  private final Consumer<Judgement> listener;
  private Failure target;

  /**
   * @param run runs a scenario (a real {@code ScenarioRunner} run in the CLI) and returns its
   *     verdict
   * @param listener told about every judged run
   */
  public FailureOracle(Function<Scenario, RunVerdict> run, Consumer<Judgement> listener) {
    this.run = Objects.requireNonNull(run, "run");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public boolean test(Scenario scenario) {
    RunVerdict verdict = run.apply(scenario);
    Optional<Failure> failure = Failure.of(verdict);
    boolean fails;
    String why;
    if (failure.isEmpty()) {
      fails = false;
      why = "valid";
    } else if (failure.get().onlyFaultsMissed()) {
      fails = false;
      why =
          "unknown only because faults did not take effect (every invariant held): a schedule that"
              + " proved nothing, not counted as a failure";
    } else if (target == null) {
      target = failure.get();
      fails = true;
      why =
          failure.get().overall()
              + " on "
              + String.join(", ", failure.get().invariants())
              + (failure.get().overall() == Verdict.UNKNOWN
                  ? " (unknown: the run could not be observed fully; counted as a failure)"
                  : "");
    } else {
      fails = target.matches(failure.get());
      why =
          failure.get().overall()
              + " on "
              + String.join(", ", failure.get().invariants())
              + (fails
                  ? ""
                  : " (a different failure from the one being shrunk: "
                      + target.overall()
                      + " on "
                      + String.join(", ", target.invariants())
                      + ")");
    }
    listener.accept(new Judgement(scenario, verdict, fails, why));
    return fails;
  }

  /** The failure being hunted, once a run failed. */
  public Optional<Failure> target() {
    return Optional.ofNullable(target);
  }
}
