package dev.cdcchaos.harness.check;

import java.util.List;
import java.util.Map;

/**
 * What one checker concluded.
 *
 * @param invariant the invariant's name as used in scenario files ({@code converged}, {@code
 *     no-loss}, ...)
 * @param verdict valid / invalid / unknown
 * @param summary one line for people, e.g. "3 orders differ: 17, 42, 99"
 * @param evidence the first few offending items (order id, expected row, actual row ...), for
 *     reports
 * @param counts figures the checker measured (rows compared, events labelled ...)
 */
public record CheckResult(
    String invariant,
    Verdict verdict,
    String summary,
    List<String> evidence,
    Map<String, Long> counts) {

  public CheckResult {
    evidence = List.copyOf(evidence);
    counts = Map.copyOf(counts);
  }
}
