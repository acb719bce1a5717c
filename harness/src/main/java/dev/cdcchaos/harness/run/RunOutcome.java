package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;

/**
 * The result of one scenario run: its verdict, its report, where the files are, and the pipeline
 * under test by name, and where its wall time went ({@code phasesMs}, milliseconds per phase in the
 * order they ran; empty for a run that did not start).
 */
public record RunOutcome(
    Scenario scenario,
    Variant variant,
    RunVerdict verdict,
    RunReport report,
    Path runDir,
    String pipeline,
    java.util.Map<String, Long> phasesMs) {

  public RunOutcome {
    phasesMs = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phasesMs));
  }

  /**
   * Whether the only thing not valid is that a scheduled fault did not take effect: the run proved
   * nothing either way, the pipeline did nothing wrong.
   */
  public boolean onlyFaultsMissed() {
    return verdict.overall() == dev.cdcchaos.harness.check.Verdict.UNKNOWN
        && verdict.results().stream()
            .filter(
                r ->
                    r.verdict() != dev.cdcchaos.harness.check.Verdict.VALID
                        && r.verdict() != dev.cdcchaos.harness.check.Verdict.NOT_APPLICABLE)
            .allMatch(r -> r.invariant().equals(dev.cdcchaos.harness.fault.FaultEffects.CHECK));
  }

  /**
   * Whether the run came out as its file expects: valid (or not applicable), or, for a file marked
   * {@code expect: { verdict: invalid }} (a loss no pipeline can prevent), invalid with every fault
   * having taken effect, so that the loss the checkers saw is the one the fault made. Such a file
   * judged valid means the harness missed the loss.
   */
  public boolean asExpected() {
    dev.cdcchaos.harness.check.Verdict v = verdict.overall();
    if (v == dev.cdcchaos.harness.check.Verdict.NOT_APPLICABLE) {
      return true;
    }
    if (scenario.expect().expectsInvalid()) {
      return v == dev.cdcchaos.harness.check.Verdict.INVALID
          && verdict.results().stream()
              .anyMatch(
                  r ->
                      r.invariant().equals(dev.cdcchaos.harness.fault.FaultEffects.CHECK)
                          && r.verdict() == dev.cdcchaos.harness.check.Verdict.VALID);
    }
    return v == dev.cdcchaos.harness.check.Verdict.VALID;
  }
}
