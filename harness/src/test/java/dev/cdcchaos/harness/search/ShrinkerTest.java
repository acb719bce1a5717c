package dev.cdcchaos.harness.search;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.scenario.ScenarioWriter;
import dev.cdcchaos.harness.scenario.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShrinkerTest {

  private static final FaultSpec KILL_CONSUMER =
      FaultSpec.of(
          new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 900),
          Duration.ofSeconds(1),
          new Fault.Kill(Target.Service.CONSUMER));

  /** Fails iff the schedule kills the consumer and the workload has at least 7 orders. */
  private static final Predicate<Scenario> KILL_AND_SEVEN_ORDERS =
      s ->
          s.faults().stream()
                  .anyMatch(
                      f ->
                          f.fault() instanceof Fault.Kill k
                              && k.target() == Target.Service.CONSUMER)
              && s.workload().orders() >= 7;

  /** A random failing scenario: a drawn one with the consumer kill slipped in. */
  private static Scenario failing(long seed) {
    Scenario drawn = ScheduleGenerator.random(seed, SearchSpace.DEFAULT);
    List<FaultSpec> faults = new ArrayList<>(drawn.faults());
    faults.removeIf(f -> KILL_AND_SEVEN_ORDERS.test(drawn.withFaults(List.of(f))));
    while (faults.size() < 6) {
      faults.add(
          ScheduleGenerator.random(seed + 1000 + faults.size(), SearchSpace.DEFAULT)
              .faults()
              .stream()
              .filter(f -> !(f.fault() instanceof Fault.Kill))
              .findFirst()
              .orElse(
                  FaultSpec.of(new Trigger.After(Duration.ofSeconds(1)), new Fault.Reorder(3))));
    }
    faults.add((int) Math.floorMod(seed, faults.size() + 1), KILL_CONSUMER);
    return Shrinker.fit(
        drawn
            .withFaults(faults)
            .withTopology(Topology.of(3, 4))
            .withWorkload(drawn.workload().withOrders(500).withUpdatesPerOrder(3).withWriters(4)));
  }

  @Test
  void findsTheMinimalFailingScenario() {
    for (long seed = 0; seed < 20; seed++) {
      Scenario start = failing(seed);
      assertThat(KILL_AND_SEVEN_ORDERS.test(start)).as("seed %d starts failing", seed).isTrue();
      List<Shrinker.Step> steps = new ArrayList<>();

      Shrinker.Result result = new Shrinker(200, steps::add).shrink(start, KILL_AND_SEVEN_ORDERS);

      Scenario min = result.minimal();
      assertThat(result.exhausted())
          .as("seed %d: shrinking ends before the budget", seed)
          .isFalse();
      assertThat(min.faults())
          .as("seed %d: only the consumer kill is left", seed)
          .extracting(FaultSpec::fault)
          .containsExactly(new Fault.Kill(Target.Service.CONSUMER));
      assertThat(min.workload().orders())
          .as("seed %d: the fewest orders that fail", seed)
          .isEqualTo(7);
      assertThat(min.workload().updatesPerOrder()).isZero();
      assertThat(min.workload().writers()).isEqualTo(1);
      assertThat(min.workload().cancelFraction()).isZero();
      assertThat(min.workload().deleteFraction()).isZero();
      assertThat(min.workload().schemaDriftFraction()).isZero();
      assertThat(min.topology()).isEqualTo(new Topology(1, 1, 1));
      assertThat(KILL_AND_SEVEN_ORDERS.test(min)).as("the minimal scenario still fails").isTrue();
      assertThat(result.attempts()).isEqualTo(steps.size()).isLessThanOrEqualTo(200);
      assertThat(steps)
          .as("each step is reported with its budget")
          .allMatch(s -> s.maxAttempts() == 200);
      assertThat(min.faults().get(0).at())
          .as("the progress trigger is clamped to what 7 orders commit")
          .isEqualTo(new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 7));
    }
  }

  @Test
  void stopsAtItsBoundWithTheBestSoFar() {
    Scenario start = failing(3);
    List<Shrinker.Step> steps = new ArrayList<>();

    Shrinker.Result result = new Shrinker(5, steps::add).shrink(start, KILL_AND_SEVEN_ORDERS);

    assertThat(result.exhausted()).isTrue();
    assertThat(result.attempts()).isEqualTo(5);
    assertThat(steps).hasSize(5);
    assertThat(KILL_AND_SEVEN_ORDERS.test(result.minimal()))
        .as("whatever the budget, the result fails")
        .isTrue();
    assertThat(new Shrinker(0, steps::add).shrink(start, KILL_AND_SEVEN_ORDERS).minimal())
        .as("no budget: the input comes back")
        .isEqualTo(start);
  }

  @Test
  void neverCallsThePredicateTwiceForOneCandidate() {
    List<Scenario> seen = new ArrayList<>();
    new Shrinker(500, s -> {})
        .shrink(
            failing(7),
            s -> {
              assertThat(seen).as("candidate tried before").doesNotContain(s);
              seen.add(s);
              return KILL_AND_SEVEN_ORDERS.test(s);
            });
    assertThat(seen).isNotEmpty();
  }

  @Test
  void aFailureNeedingTwoFaultsKeepsBoth() {
    FaultSpec partition =
        FaultSpec.of(
            new Trigger.After(Duration.ofSeconds(2)),
            Duration.ofSeconds(2),
            new Fault.Partition(dev.cdcchaos.harness.fault.Link.CONSUMER_KAFKA));
    Predicate<Scenario> both = s -> s.faults().contains(partition) && KILL_AND_SEVEN_ORDERS.test(s);
    Scenario start = failing(11);
    List<FaultSpec> faults = new ArrayList<>(start.faults());
    faults.add(1, partition);

    Scenario min = new Shrinker(300, s -> {}).shrink(start.withFaults(faults), both).minimal();

    assertThat(min.faults())
        .extracting(FaultSpec::fault)
        .containsExactlyInAnyOrder(partition.fault(), new Fault.Kill(Target.Service.CONSUMER));
  }

  @Test
  void writersNeverShrinkBelowWhatASlowCommitNeeds() {
    FaultSpec slowCommit =
        FaultSpec.of(
            new Trigger.After(Duration.ofSeconds(1)),
            Duration.ofSeconds(2),
            new Fault.SlowCommit(2));
    Predicate<Scenario> needsIt = s -> s.faults().contains(slowCommit);
    Scenario start = failing(7);
    List<FaultSpec> faults = new ArrayList<>(start.faults());
    faults.add(slowCommit);

    Scenario min = new Shrinker(300, s -> {}).shrink(start.withFaults(faults), needsIt).minimal();

    assertThat(min.faults()).containsExactly(slowCommit);
    assertThat(min.workload().writers())
        .as("two stalled writers need a third that keeps committing")
        .isEqualTo(3);
    assertThat(ScenarioLoader.parse(ScenarioWriter.toYaml(min), "min.yaml"))
        .as("the minimal scenario is a valid file")
        .isEqualTo(min);
  }

  @Test
  void theMinimalScenarioReplaysFromItsFile(@TempDir Path dir) {
    Scenario min = new Shrinker(200, s -> {}).shrink(failing(5), KILL_AND_SEVEN_ORDERS).minimal();
    Path file = dir.resolve(min.name() + ".yaml");

    ScenarioWriter.write(min, file);

    assertThat(ScenarioLoader.load(file)).isEqualTo(min);
  }
}
