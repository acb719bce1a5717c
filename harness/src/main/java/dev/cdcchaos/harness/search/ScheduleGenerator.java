package dev.cdcchaos.harness.search;

import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultKind;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.Expectations;
import dev.cdcchaos.harness.scenario.PipelineSettings;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.Topology;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Draws a random scenario (workload size, topology and fault schedule) from a seed. The same seed
 * and space give the same scenario, so a search run is replayed from its seed; every scenario it
 * draws is valid for {@code ScenarioLoader}.
 */
public final class ScheduleGenerator {
  /** The crash points of the publisher and consumer (writer processes are not searched yet). */
  private static final java.util.List<String> PIPELINE_POINTS =
      CrashPoints.ALL.stream().filter(p -> !p.startsWith("writer.")).toList();

  private static final double[] FRACTIONS = {0.05, 0.1, 0.25, 0.5, 1.0};

  /**
   * The direction of every drawn network fault: the runner's local Toxiproxy links apply toxics to
   * both directions only, and a drawn scenario must be one the runner can run.
   */
  static final Direction LINK_DIRECTION = Direction.BOTH;

  private ScheduleGenerator() {}

  /** The scenario of {@code seed}, named {@code search-<seed>}. */
  public static Scenario random(long seed, SearchSpace space) {
    Random r = new Random(seed);
    // slow-commit needs a second writer that keeps committing; a space of nothing else gets one
    int minWriters = space.faultKinds().equals(List.of("slow-commit")) ? 2 : 1;
    int brokers = space.brokerCounts().get(r.nextInt(space.brokerCounts().size()));
    Topology topology = new Topology(brokers, 1 + r.nextInt(space.maxPartitions()), brokers);
    WorkloadSpec workload =
        new WorkloadSpec(
            space.minOrders() + r.nextInt(space.maxOrders() - space.minOrders() + 1),
            r.nextInt(space.maxUpdatesPerOrder() + 1),
            Math.max(minWriters, 1 + r.nextInt(space.maxWriters())),
            0,
            pick(r, 0.0, 0.0, 0.1, 0.2),
            pick(r, 0.0, 0.0, 0.05),
            pick(r, 0.0, 0.0, 0.1),
            PoisonMix.NONE,
            pick(r, 0.0, 0.2, 0.2, 0.5));
    int faultCount = space.maxFaults() == 0 ? 0 : r.nextInt(space.maxFaults() + 1);
    List<FaultSpec> faults = new ArrayList<>();
    for (int i = 0; i < faultCount; i++) {
      faults.add(fault(r, space, topology, workload));
    }
    PipelineSettings pipeline =
        new PipelineSettings((int) pick(r, 50, 100, 500), (int) pick(r, 100, 500, 2000));
    return new Scenario(
        "search-" + Long.toUnsignedString(seed),
        "drawn by the schedule search from seed " + seed,
        seed,
        topology,
        workload,
        faults,
        Expectations.DEFAULT,
        Optional.empty(),
        pipeline,
        dev.cdcchaos.harness.scenario.Reads.DEFAULT);
  }

  private static FaultSpec fault(
      Random r, SearchSpace space, Topology topology, WorkloadSpec workload) {
    List<String> kinds = space.faultKinds();
    if (workload.writers() < 2 && kinds.contains("slow-commit")) {
      kinds = kinds.stream().filter(k -> !k.equals("slow-commit")).toList();
    }
    String kind = kinds.get(r.nextInt(kinds.size()));
    Fault fault = fault(r, kind, topology, workload);
    Trigger at;
    if (r.nextBoolean()) {
      at =
          new Trigger.After(
              Duration.ofMillis(100L * r.nextInt(1 + (int) (space.maxStart().toMillis() / 100))));
    } else {
      Trigger.Counter counter =
          Trigger.Counter.values()[r.nextInt(Trigger.Counter.values().length)];
      at = new Trigger.Progress(counter, (long) (r.nextDouble() * workload.minEvents()));
    }
    Optional<Duration> duration =
        switch (fault.healing()) {
          case WINDOW ->
              Optional.of(
                  Duration.ofMillis(
                      100L * (1 + r.nextInt((int) (space.maxWindow().toMillis() / 100)))));
          case DOWNTIME ->
              r.nextBoolean()
                  ? Optional.empty()
                  : Optional.of(
                      Duration.ofMillis(
                          100L * r.nextInt(1 + (int) (space.maxDowntime().toMillis() / 100))));
          case INSTANT -> Optional.empty();
        };
    return new FaultSpec(at, duration, fault);
  }

  private static Fault fault(Random r, String kind, Topology topology, WorkloadSpec workload) {
    Link link = Link.values()[r.nextInt(Link.values().length)];
    FaultKind k =
        FaultKind.parse(kind)
            .orElseThrow(() -> new IllegalArgumentException("unknown fault kind " + kind));
    return switch (k) {
      case PARTITION ->
          new Fault.Partition(
              link,
              LINK_DIRECTION,
              r.nextInt(4) == 0 ? Fault.PartitionMode.DOWN : Fault.PartitionMode.BLACKHOLE);
      case LATENCY -> {
        int delay = 10 * (1 + r.nextInt(50));
        yield new Fault.Latency(
            link,
            LINK_DIRECTION,
            Duration.ofMillis(delay),
            Duration.ofMillis(r.nextInt(delay / 2 + 1)));
      }
      case BANDWIDTH -> new Fault.Bandwidth(link, LINK_DIRECTION, 16L << r.nextInt(7));
      case RESET_PEER ->
          new Fault.ResetPeer(link, LINK_DIRECTION, Duration.ofMillis(100L * r.nextInt(11)));
      case SLOW_CLOSE ->
          new Fault.SlowClose(link, LINK_DIRECTION, Duration.ofMillis(100L * (1 + r.nextInt(30))));
      case LIMIT_DATA -> new Fault.LimitData(link, LINK_DIRECTION, 1024L << r.nextInt(11));
      case KILL -> new Fault.Kill(target(r, topology));
      case PAUSE -> new Fault.Pause(target(r, topology));
      case RESTART -> new Fault.Restart(target(r, topology));
      case CRASH -> Fault.Crash.at(PIPELINE_POINTS.get(r.nextInt(PIPELINE_POINTS.size())));
      case DUPLICATE -> new Fault.Duplicate(FRACTIONS[r.nextInt(FRACTIONS.length)]);
      case REORDER -> new Fault.Reorder(2 + r.nextInt(99));
      case REDELIVER ->
          new Fault.Redeliver(
              r.nextInt(5) == 0
                  ? new Fault.Rewind.ToStart()
                  : new Fault.Rewind.By(1 + r.nextInt(500)));
      case SCHEMA_DRIFT -> new Fault.SchemaDrift(FRACTIONS[r.nextInt(FRACTIONS.length)]);
      case SLOW_COMMIT -> new Fault.SlowCommit(1 + r.nextInt(workload.writers() - 1));
      case POISON -> {
        List<PoisonKind> kinds = new ArrayList<>();
        for (PoisonKind pk : PoisonKind.values()) {
          if (r.nextBoolean()) {
            kinds.add(pk);
          }
        }
        yield new Fault.Poison(
            1 + r.nextInt(10), kinds.isEmpty() ? List.of(PoisonKind.values()) : kinds);
      }
      // each needs a scenario built around it (see FaultKind#drawnBySearch); SearchSpace keeps
      // them out of every space
      case RESET_OFFSETS,
          RECREATE_TOPIC,
          ZOMBIE_CONSUMER,
          DDL,
          CLOCK_SKEW,
          DISK_FULL,
          LONG_OUTAGE,
          LONG_PAUSE,
          UNCLEAN_LEADER_ELECTION ->
          throw new IllegalArgumentException(
              k.key() + " is not drawn by the search, expected one of " + FaultKind.searchKeys());
    };
  }

  private static Target target(Random r, Topology topology) {
    List<String> names = Target.names(topology.brokers());
    return Target.parse(names.get(r.nextInt(names.size()))).orElseThrow();
  }

  private static double pick(Random r, double... values) {
    return values[r.nextInt(values.length)];
  }
}
