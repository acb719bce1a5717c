package dev.cdcchaos.harness.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.scenario.ScenarioWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

class SearchTest {
  /** A synthetic bug: the pipeline breaks when the consumer crashes mid-batch. */
  private static final Predicate<Scenario> MID_BATCH_CRASH =
      s ->
          s.faults().stream()
              .map(FaultSpec::fault)
              .anyMatch(f -> f instanceof Fault.Crash c && c.point().equals("consumer.mid-batch"));

  @Test
  void findsTheFirstFailingSeedAndShrinksItToAReplayableFile() {
    List<String> log = new ArrayList<>();

    Optional<Search.Found> found =
        Search.run(
            100, 500, SearchSpace.DEFAULT, MID_BATCH_CRASH, new Shrinker(100, s -> {}), log::add);

    assertThat(found).as("500 seeds draw a mid-batch crash").isPresent();
    long seed = found.get().seed();
    for (long earlier = 100; earlier < seed; earlier++) {
      assertThat(MID_BATCH_CRASH.test(ScheduleGenerator.random(earlier, SearchSpace.DEFAULT)))
          .as("seed %d, before the one found, passes", earlier)
          .isFalse();
    }
    Scenario min = found.get().minimal();
    assertThat(min.faults())
        .extracting(FaultSpec::fault)
        .containsExactly(Fault.Crash.at("consumer.mid-batch"));
    assertThat(min.workload().orders()).isEqualTo(1);
    assertThat(min.name()).isEqualTo("search-" + seed + "-min");
    assertThat(min.description()).contains("from seed " + seed);
    assertThat(ScenarioLoader.parse(ScenarioWriter.toYaml(min), "min.yaml")).isEqualTo(min);
    assertThat(log).last().asString().isEqualTo("seed " + seed + " failed; shrinking");
  }

  @Test
  void nothingFoundWhenEveryRunPasses() {
    assertThat(
            Search.run(0, 20, SearchSpace.DEFAULT, s -> false, new Shrinker(10, s -> {}), s -> {}))
        .isEmpty();
  }
}
