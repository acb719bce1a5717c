package dev.cdcchaos.harness.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultKind;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.scenario.ScenarioWriter;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Over seeds 0..299; a failing seed is named in the assertion message, replay it alone. */
class ScheduleGeneratorTest {

  @Test
  void theSameSeedGivesTheSameScenario() {
    for (long seed = 0; seed < 300; seed++) {
      assertThat(ScheduleGenerator.random(seed, SearchSpace.DEFAULT))
          .as("seed %d", seed)
          .isEqualTo(ScheduleGenerator.random(seed, SearchSpace.DEFAULT));
    }
    assertThat(ScheduleGenerator.random(1, SearchSpace.DEFAULT))
        .isNotEqualTo(ScheduleGenerator.random(2, SearchSpace.DEFAULT));
  }

  @Test
  void everyDrawnScenarioIsAValidScenarioFileAndStaysInItsSpace() {
    Set<String> kindsSeen = new HashSet<>();
    for (long seed = 0; seed < 300; seed++) {
      Scenario s = ScheduleGenerator.random(seed, SearchSpace.DEFAULT);
      String yaml = ScenarioWriter.toYaml(s);

      assertThat(ScenarioLoader.parse(yaml, s.name() + ".yaml"))
          .as("seed %d written and loaded back:\n%s", seed, yaml)
          .isEqualTo(s);
      assertThat(s.workload().orders()).isBetween(50, 2000);
      assertThat(s.faults()).hasSizeLessThanOrEqualTo(6);
      s.faults().forEach(f -> kindsSeen.add(f.fault().kind().key()));
    }
    assertThat(kindsSeen)
        .as("300 seeds draw every fault kind the search draws")
        .containsAll(FaultKind.searchKeys());
  }

  @Test
  void onlyTheKindsOfTheSpaceAreDrawn() {
    SearchSpace crashes = SearchSpace.DEFAULT.withFaultKinds(List.of("crash", "kill"));
    for (long seed = 0; seed < 100; seed++) {
      assertThat(ScheduleGenerator.random(seed, crashes).faults())
          .extracting(FaultSpec::fault)
          .allMatch(f -> f instanceof Fault.Crash || f instanceof Fault.Kill);
    }
  }

  @Test
  void slowCommitsLeaveAWriterThatKeepsCommitting() {
    SearchSpace slowOnly = SearchSpace.DEFAULT.withFaultKinds(List.of("slow-commit"));
    Set<Integer> counts = new HashSet<>();
    for (long seed = 0; seed < 200; seed++) {
      Scenario s = ScheduleGenerator.random(seed, slowOnly);
      for (FaultSpec f : s.faults()) {
        int stalled = ((Fault.SlowCommit) f.fault()).writers();
        counts.add(stalled);
        assertThat(stalled)
            .as("seed %d: stalled writers < the %d writers", seed, s.workload().writers())
            .isBetween(1, s.workload().writers() - 1);
      }
    }
    assertThat(counts).as("1..3 stalled writers are drawn").containsExactlyInAnyOrder(1, 2, 3);
  }

  @Test
  void networkFaultsUseTheDirectionTheRunnerCanInject() {
    for (long seed = 0; seed < 300; seed++) {
      assertThat(ScheduleGenerator.random(seed, SearchSpace.DEFAULT).faults())
          .extracting(FaultSpec::fault)
          .filteredOn(f -> f instanceof Fault.Network)
          .as("seed %d: the runner's local links take toxics in both directions only", seed)
          .allMatch(f -> ((Fault.Network) f).direction() == Direction.BOTH);
    }
  }
}
