package dev.cdcchaos.harness.scenario;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a run must show: the invariants to check, how long the pipeline may take to drain once the
 * last fault healed, and the verdict the file expects: valid, or invalid for a scenario built to
 * show a loss the infrastructure causes (the harness must see it; such a run passes when it is
 * judged invalid).
 */
public record Expectations(Set<Invariant> invariants, Duration convergeWithin, Outcome verdict) {

  /** The verdict a scenario file expects ({@code expect: { verdict: invalid }}). */
  public enum Outcome {
    /** Every checked invariant holds (the default). */
    VALID,
    /**
     * The run must be judged invalid: the scenario injects a loss no pipeline can prevent (an
     * unclean leader election truncating acknowledged records), and proves the checkers see it.
     */
    INVALID;

    public String cliName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static java.util.Optional<Outcome> parse(String name) {
      return java.util.Arrays.stream(values()).filter(o -> o.cliName().equals(name)).findFirst();
    }

    public static java.util.List<String> names() {
      return java.util.Arrays.stream(values()).map(Outcome::cliName).toList();
    }
  }

  /** Expecting a valid run. */
  public Expectations(Set<Invariant> invariants, Duration convergeWithin) {
    this(invariants, convergeWithin, Outcome.VALID);
  }

  public static final Duration DEFAULT_CONVERGE_WITHIN = Duration.ofSeconds(60);

  /** Every invariant, converged within the default bound. */
  public static final Expectations DEFAULT =
      new Expectations(EnumSet.allOf(Invariant.class), DEFAULT_CONVERGE_WITHIN);

  public Expectations {
    if (invariants.isEmpty()) {
      throw new IllegalArgumentException("a scenario must check at least one invariant");
    }
    invariants = Set.copyOf(invariants);
    java.util.Objects.requireNonNull(verdict, "verdict");
    if (convergeWithin.isNegative() || convergeWithin.isZero()) {
      throw new IllegalArgumentException("convergeWithin must be positive");
    }
  }

  /** Whether every invariant is asked for ({@code invariants: all}). */
  public boolean all() {
    return invariants.size() == Invariant.values().length;
  }

  /** The invariants' names in a stable order (declaration order), e.g. for {@code Checkers.run}. */
  public java.util.List<String> names() {
    return invariants.stream().sorted().map(Invariant::cliName).toList();
  }

  /** Whether the file expects an invalid verdict (a loss the infrastructure causes). */
  public boolean expectsInvalid() {
    return verdict == Outcome.INVALID;
  }

  /** Whether {@code invariant} must be checked. */
  public boolean checks(Invariant invariant) {
    return invariants.contains(invariant);
  }
}
