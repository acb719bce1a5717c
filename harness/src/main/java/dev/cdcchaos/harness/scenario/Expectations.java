package dev.cdcchaos.harness.scenario;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What a run must show: the invariants to check and how long the pipeline may take to drain once
 * the last fault healed.
 */
public record Expectations(Set<Invariant> invariants, Duration convergeWithin) {

  public static final Duration DEFAULT_CONVERGE_WITHIN = Duration.ofSeconds(60);

  /** Every invariant, converged within the default bound. */
  public static final Expectations DEFAULT =
      new Expectations(EnumSet.allOf(Invariant.class), DEFAULT_CONVERGE_WITHIN);

  public Expectations {
    if (invariants.isEmpty()) {
      throw new IllegalArgumentException("a scenario must check at least one invariant");
    }
    invariants = Set.copyOf(invariants);
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

  /** Whether {@code invariant} must be checked. */
  public boolean checks(Invariant invariant) {
    return invariants.contains(invariant);
  }
}
