package dev.cdcchaos.harness.sut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A known-bad Debezium setup must be caught: its replication slot dropped and recreated mid-run
 * ({@code scenarios/caught-debezium-slot-recreated.yaml}) loses the changes committed in between,
 * and the run must be invalid on no-loss, naming them.
 */
class DebeziumKnownBadIT {

  static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  @Test
  void aReplicationSlotDroppedAndRecreatedMidRunLosesEventsAndIsCaught() {
    Scenario scenario =
        ScenarioLoader.load(
            projectDir().resolve("scenarios").resolve("caught-debezium-slot-recreated.yaml"));
    RunOutcome outcome =
        new ScenarioRunner(RunOptions.defaults(projectDir().resolve("reports"))).run(scenario);
    assertThat(outcome.pipeline()).isEqualTo(Pipelines.DEBEZIUM);
    assertThat(outcome.verdict().overall())
        .as("events committed while no slot existed are lost; report %s", outcome.runDir())
        .isEqualTo(Verdict.INVALID);
    assertThat(outcome.verdict().result("no-loss").map(CheckResult::verdict))
        .as("no-loss names the events that never reached Kafka")
        .contains(Verdict.INVALID);
  }
}
