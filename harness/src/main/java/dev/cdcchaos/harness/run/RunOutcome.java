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
}
