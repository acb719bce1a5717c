package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;

/**
 * The result of one scenario run: its verdict, its report, where the files are, and the pipeline
 * under test by name.
 */
public record RunOutcome(
    Scenario scenario,
    Variant variant,
    RunVerdict verdict,
    RunReport report,
    Path runDir,
    String pipeline) {}
