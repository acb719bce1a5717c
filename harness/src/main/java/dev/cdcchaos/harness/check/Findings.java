package dev.cdcchaos.harness.check;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects what one checker found and turns it into a {@link CheckResult}: any invalid finding
 * makes the result invalid, else any unknown finding makes it unknown.
 */
final class Findings {

  private final String invariant;
  private final List<String> invalid = new ArrayList<>();
  private final List<String> unknown = new ArrayList<>();
  private final List<String> invalidEvidence = new ArrayList<>();
  private final List<String> unknownEvidence = new ArrayList<>();
  private final Map<String, Long> counts = new LinkedHashMap<>();

  Findings(String invariant) {
    this.invariant = invariant;
  }

  void invalid(String summary, List<String> evidence) {
    invalid.add(summary);
    invalidEvidence.addAll(evidence);
  }

  void unknown(String summary, List<String> evidence) {
    unknown.add(summary);
    unknownEvidence.addAll(evidence);
  }

  /**
   * A difference that not draining could explain: invalid after a drained run, unknown otherwise.
   */
  void invalidIfDrained(boolean drained, String summary, List<String> evidence) {
    if (drained) {
      invalid(summary, evidence);
    } else {
      unknown(summary + " (the run did not drain, so this may be lag)", evidence);
    }
  }

  void count(String name, long value) {
    counts.put(name, value);
  }

  CheckResult result(String validSummary) {
    Verdict verdict =
        !invalid.isEmpty() ? Verdict.INVALID : !unknown.isEmpty() ? Verdict.UNKNOWN : Verdict.VALID;
    List<String> summary = new ArrayList<>(invalid);
    summary.addAll(unknown);
    List<String> evidence = new ArrayList<>(invalidEvidence);
    evidence.addAll(unknownEvidence);
    return new CheckResult(
        invariant,
        verdict,
        verdict == Verdict.VALID ? validSummary : String.join("; ", summary),
        evidence,
        counts);
  }
}
