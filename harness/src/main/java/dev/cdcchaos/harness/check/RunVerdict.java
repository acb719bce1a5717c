package dev.cdcchaos.harness.check;

import java.util.List;

/**
 * The combined outcome of the checkers a scenario asked for.
 *
 * @param overall the worst of the results' verdicts
 * @param results one per checker, worst first (invalid, unknown, valid), ties in the order asked
 */
public record RunVerdict(Verdict overall, List<CheckResult> results) {

  public RunVerdict {
    results = List.copyOf(results);
  }

  /** The result of one invariant, if it was checked. */
  public java.util.Optional<CheckResult> result(String invariant) {
    return results.stream().filter(r -> r.invariant().equals(invariant)).findFirst();
  }
}
