package dev.cdcchaos.harness.check;

/**
 * One invariant over an observed run. Implementations are pure functions: same observation, same
 * result; they read no clock, no files, no network, and must not throw on odd input (an
 * unobservable input is {@link Verdict#UNKNOWN}, not an exception).
 */
@FunctionalInterface
public interface Checker {

  CheckResult check(Observation observation);
}
