package dev.cdcchaos.harness.check;

/**
 * The outcome of a check. Combining verdicts keeps the worst: invalid beats unknown beats valid
 * beats not-applicable, so a run is not-applicable only when nothing in it applied, and an
 * invariant that did not apply never turns a run valid on its own.
 */
public enum Verdict {
  /**
   * The check does not apply to the pipeline under test (a capability it lacks, a table it does not
   * keep), with the reason: not a failure, and never counted as valid.
   */
  NOT_APPLICABLE,
  VALID,
  /**
   * The run could not be observed fully (did not drain, a source was unreadable): never a silent
   * pass.
   */
  UNKNOWN,
  INVALID;

  /** The worse of the two verdicts. */
  public Verdict and(Verdict other) {
    return compareTo(other) >= 0 ? this : other;
  }

  /** The word reports and summaries use: {@code VALID}, {@code NOT-APPLICABLE}, ... */
  public String label() {
    return name().replace('_', '-');
  }
}
