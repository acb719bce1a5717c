package dev.cdcchaos.harness.check;

/**
 * The outcome of a check. Combining verdicts keeps the worst: invalid beats unknown beats valid.
 */
public enum Verdict {
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
}
