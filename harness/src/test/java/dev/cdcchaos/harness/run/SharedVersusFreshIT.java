package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffects;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's "must not change": reusing started infrastructure must not let one run's state leak
 * into another's verdict. Two runs back to back on the JVM's shared infrastructure (as {@code
 * verify}, {@code run --all}, {@code search} and {@code matrix} do) must be judged as two runs that
 * each start their own Postgres, Kafka and Toxiproxy: the same verdict for every invariant, and the
 * same counts of the seeded workload (a run that read the previous run's database, topic or lake
 * would count its events too; a fault left standing would stall the next run). The file has faults
 * (a redeliver that restarts the consumer, duplicates at the publisher) so that the first run
 * leaves something to clean up.
 */
class SharedVersusFreshIT {

  @TempDir Path reports;

  private static Path projectDir() {
    String dir = System.getProperty("cdcchaos.projectDir");
    return dir == null ? Path.of("..").toAbsolutePath().normalize() : Path.of(dir);
  }

  @Test
  void twoRunsOnSharedInfrastructureAreJudgedAsTwoOnFreshInfrastructure() {
    Scenario scenario =
        ScenarioLoader.load(
            projectDir().resolve("scenarios/search-found-redeliver-small-workload.yaml"));
    RunOptions shared = RunOptions.defaults(reports.resolve("shared"));
    List<String> judged = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      judged.add(judged("shared", i, new ScenarioRunner(shared).run(scenario)));
    }
    for (int i = 0; i < 2; i++) {
      Path dir = reports.resolve("fresh-infra-" + i);
      List<LocalInfrastructure> started = new ArrayList<>();
      RunOptions fresh =
          RunOptions.defaults(reports.resolve("fresh"))
              .withInfrastructure(
                  brokers -> {
                    LocalInfrastructure infra = LocalInfrastructure.start(dir, brokers);
                    started.add(infra);
                    return infra;
                  });
      try {
        judged.add(judged("fresh", i, new ScenarioRunner(fresh).run(scenario)));
      } finally {
        started.forEach(LocalInfrastructure::close);
      }
      assertThat(started).as("run %d started infrastructure of its own", i).hasSize(1);
    }
    String first = judged.get(0).substring(judged.get(0).indexOf("): ") + 3);
    assertThat(first).as("the run is valid").startsWith("VALID");
    assertThat(judged)
        .as("every run judged alike, shared or fresh")
        .allMatch(j -> j.endsWith(": " + first));
  }

  /**
   * The overall verdict, each invariant's verdict, and the counts of the seeded workload. Whether
   * the faults took effect is left out of the comparison (a fault that did not bite proves nothing
   * either way, and says so), but not out of the overall verdict's check for validity.
   */
  private static String judgement(RunOutcome outcome) {
    Map<String, Verdict> invariants = new TreeMap<>();
    for (CheckResult r : outcome.verdict().results()) {
      if (!r.invariant().equals(FaultEffects.CHECK)) {
        invariants.put(r.invariant(), r.verdict());
      }
    }
    RunReport.Counts c = outcome.report().counts();
    return (outcome.onlyFaultsMissed() ? Verdict.VALID : outcome.verdict().overall())
        + " "
        + invariants
        + " committed "
        + c.committed()
        + ", published "
        + c.published()
        + ", applied "
        + c.applied()
        + ", dead-lettered "
        + c.deadLettered();
  }

  private static String judged(String where, int i, RunOutcome outcome) {
    return where + " " + i + " (" + outcome.runDir() + "): " + judgement(outcome);
  }
}
