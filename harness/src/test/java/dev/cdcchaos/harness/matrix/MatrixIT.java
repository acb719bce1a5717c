package dev.cdcchaos.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.report.MatrixReport;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * The detection matrix on its fast subset: every known-bad variant has a designated scenario file
 * ({@code scenarios/caught-<variant>.yaml}, naming the variant) that must catch it, and the correct
 * pipeline must stay valid on those same files. This is the only place those files run in {@code
 * verify} ({@code ScenariosIT}, in the conformance module, skips files that name a variant). The
 * full matrix over every scenario is {@code ./cdc-chaos matrix}.
 */
class MatrixIT {

  private static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  @Test
  void everyVariantIsCaughtByItsDesignatedScenarioWhichTheCorrectPipelinePasses(
      org.junit.jupiter.api.TestReporter reporter) {
    Path reports = projectDir().resolve("reports");
    List<Scenario> designated =
        ScenarioLoader.loadAll(projectDir().resolve("scenarios")).stream()
            .filter(s -> s.variant().isPresent())
            .toList();
    assertThat(designated.stream().map(s -> s.variant().orElseThrow()).distinct())
        .as("every known-bad variant needs a scenario file that names it (caught-<variant>.yaml)")
        .containsExactlyInAnyOrderElementsOf(DetectionMatrix.knownBad());

    MatrixResult m =
        new DetectionMatrix(
                DetectionMatrix.Runs.of(RunOptions.defaults(reports)),
                line -> System.out.println("matrix: " + line),
                System::nanoTime,
                false)
            .run(DetectionMatrix.designated(designated), partial -> {});
    Path html = MatrixReport.write(reports, m);
    reporter.publishFile(html, org.junit.jupiter.api.MediaType.create("text", "html"));

    SoftAssertions soft = new SoftAssertions();
    for (Cell c : m.cells()) {
      if (c.variant() == Variant.CORRECT) {
        soft.assertThat(c.status())
            .as(
                "correct pipeline under %s must be valid, was %s %s; run %s",
                c.scenario(), c.text(), c.error().orElse(""), c.runDir().orElse("-"))
            .isEqualTo(Cell.Status.VALID);
      } else {
        soft.assertThat(c.status())
            .as(
                "variant %s must be caught by its designated scenario %s, was %s %s; run %s",
                c.variant().cliName(),
                c.scenario(),
                c.text(),
                c.error().orElse(""),
                c.runDir().orElse("-"))
            .isEqualTo(Cell.Status.CAUGHT);
        if (c.variant() == Variant.DEFERRED_CHECKPOINT) {
          soft.assertThat(c.invariants())
              .as(
                  "deferred-checkpoint ends right: only a read taken while the run went may see it"
                      + " (run %s)",
                  c.runDir().orElse("-"))
              .isSubsetOf("snapshot-consistent", "monotonic-reads")
              .contains("snapshot-consistent");
        }
      }
    }
    soft.assertThat(m.ok()).as("%s (%s)", MatrixReport.headline(m), html).isTrue();
    for (Variant v : m.knownBad()) {
      Optional<Cell> d = m.detection(v);
      System.out.printf(
          "time to detection %-30s %s%n",
          v.cliName(),
          d.map(c -> c.wallMs() / 1000.0 + " s via " + String.join(", ", c.invariants()))
              .orElse("escaped"));
    }
    soft.assertAll();
  }
}
