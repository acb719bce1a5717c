package dev.cdcchaos.conformance;

import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.sut.PipelineDescription;
import dev.cdcchaos.harness.sut.Pipelines;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Nested;

/**
 * Every general file under {@code scenarios/} against each pipeline under test, through the
 * conformance kit as anyone's pipeline would be: adding a scenario is adding a file. The reference
 * pipeline must be valid on every file; Debezium valid, or not applicable with its reason (a crash
 * point of the polling publisher, its send hook, several publishers). Reports go to {@code
 * reports/} at the project root, where CI publishes them; the index gets one column per pipeline.
 */
class ScenariosIT {

  static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  /** The project's own files and reports folder, not the copies in the kit's jar. */
  abstract static class InThisProject extends PipelineConformance {
    @Override
    protected List<Path> scenarioFiles() {
      return dev.cdcchaos.harness.scenario.ScenarioLoader.files(projectDir().resolve("scenarios"));
    }

    @Override
    protected Path reportsDir() {
      return projectDir().resolve("reports");
    }
  }

  @Nested
  class Reference extends InThisProject {
    @Override
    protected PipelineDescription pipeline() {
      return Pipelines.reference();
    }

    /**
     * It declares every capability; only the machine may lack something: a {@code disk-full} run
     * needs to mount a tmpfs (root), and says so when it may not.
     */
    @Override
    protected boolean mayBeNotApplicable(Scenario scenario) {
      return scenario.faults().stream()
          .anyMatch(f -> f.fault().kind() == dev.cdcchaos.harness.fault.FaultKind.DISK_FULL);
    }
  }

  @Nested
  class Debezium extends InThisProject {
    @Override
    protected PipelineDescription pipeline() {
      return Pipelines.debezium();
    }
  }
}
