package dev.cdcchaos.harness.sut;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.pipeline.variant.Variant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What of a scenario applies to a pipeline under test, from its declared capabilities alone (pure:
 * no servers). A scenario that needs a capability the pipeline lacks is not applicable as a whole,
 * with every reason; an invariant whose table or feature the pipeline does not keep is not
 * applicable on its own, and the others are still judged.
 */
public final class Applicability {

  /** The invariant the whole-run result of a scenario that does not apply is filed under. */
  public static final String CHECK = "applicable";

  /** What each invariant reads besides {@code wh_orders}, the source and Kafka. */
  static final Map<String, Set<Capability>> INVARIANT_NEEDS = invariantNeeds();

  private Applicability() {}

  private static Map<String, Set<Capability>> invariantNeeds() {
    Map<String, Set<Capability>> m = new LinkedHashMap<>();
    m.put("converged", Set.of());
    m.put("no-loss", Set.of(Capability.LEDGER, Capability.DEAD_LETTERS));
    m.put("no-duplicates", Set.of(Capability.LEDGER, Capability.TOTALS));
    m.put("lake-complete", Set.of(Capability.LAKE));
    m.put("replay-equivalent", Set.of(Capability.REPLAY, Capability.LAKE));
    m.put("checkpoints-sound", Set.of(Capability.CHECKPOINTS));
    m.put("accounting", Set.of(Capability.LEDGER, Capability.DEAD_LETTERS));
    m.put("liveness", Set.of());
    m.put(
        "snapshot-consistent",
        Set.of(Capability.SNAPSHOT_READS, Capability.CHECKPOINTS, Capability.TOTALS));
    m.put("monotonic-reads", Set.of(Capability.SNAPSHOT_READS));
    return java.util.Collections.unmodifiableMap(m);
  }

  /**
   * Why {@code scenario} cannot run against {@code pipeline}, one reason per missing capability
   * (naming the fault or field that needs it); empty when it applies.
   *
   * @param variant the variant the run would use (a known-bad variant needs {@link
   *     Capability#VARIANTS})
   */
  public static List<String> reasons(
      Scenario scenario, Variant variant, PipelineDescription pipeline) {
    List<String> why = new ArrayList<>();
    if (variant != Variant.CORRECT && !pipeline.has(Capability.VARIANTS)) {
      why.add(
          "variant "
              + variant.cliName()
              + " is a known-bad variant of the reference pipeline; "
              + pipeline.name()
              + " has no variants");
    }
    if (variant == Variant.DUAL_WRITE
        && scenario.workload().writersIn() != dev.cdcchaos.harness.workload.WritersIn.PROCESSES) {
      why.add(
          "variant dual-write is a known-bad writer, and only writer processes run it: it needs"
              + " workload.writers_in: processes (the writers of the harness JVM write in one"
              + " transaction)");
    }
    if (scenario.topology().publishers() > 1 && !pipeline.has(Capability.SEVERAL_PUBLISHERS)) {
      why.add(
          "topology.publishers: "
              + scenario.topology().publishers()
              + " needs several-publishers, which "
              + pipeline.name()
              + " does not declare (its publisher stage runs once)");
    }
    for (int i = 0; i < scenario.faults().size(); i++) {
      FaultSpec spec = scenario.faults().get(i);
      int fi = i;
      Fault f = spec.fault();
      Optional<String> missing =
          switch (f.kind()) {
            case CRASH -> {
              Fault.Crash c = (Fault.Crash) f;
              if (c.process() instanceof Target.Writer) {
                // the writers are the application the harness runs, whatever the pipeline
                yield Optional.empty();
              }
              boolean publisher = Target.publisherNumber(c.process()) > 0;
              Capability needed =
                  publisher ? Capability.PUBLISHER_CRASH_POINTS : Capability.CONSUMER_CRASH_POINTS;
              yield lacks(pipeline, needed)
                  .map(
                      n ->
                          "at "
                              + c.point()
                              + " needs "
                              + n
                              + ": "
                              + pipeline.name()
                              + "'s "
                              + (publisher ? "publisher" : "consumer")
                              + " has no such crash point");
            }
            case DUPLICATE, REORDER ->
                lacks(pipeline, Capability.SEND_HOOK)
                    .map(
                        n ->
                            "needs "
                                + n
                                + ": "
                                + pipeline.name()
                                + "'s publisher sends through no hook the harness can make"
                                + " duplicate or reorder");
            case REDELIVER ->
                lacks(pipeline, Capability.CHECKPOINTS)
                    .map(
                        n ->
                            "needs "
                                + n
                                + ": "
                                + pipeline.name()
                                + " keeps no wh_checkpoints to rewind");
            case RESET_OFFSETS ->
                lacks(pipeline, Capability.GROUP_OFFSETS)
                    .map(
                        n ->
                            "needs "
                                + n
                                + ": "
                                + pipeline.name()
                                + "'s consumer keeps no position in a Kafka consumer group that an"
                                + " operator could reset");
            case RECREATE_TOPIC ->
                lacks(pipeline, Capability.TOPIC_INCARNATIONS)
                    .map(
                        n ->
                            "needs "
                                + n
                                + ": "
                                + pipeline.name()
                                + " does not declare that it tells a recreated topic from the old"
                                + " one");
            case DISK_FULL ->
                ((Fault.DiskFull) f).store() == Fault.Store.LAKE
                    ? lacks(pipeline, Capability.LAKE)
                        .map(n -> "needs " + n + ": " + pipeline.name() + " keeps no lake to fill")
                    : Optional.empty();
            case LONG_PAUSE ->
                lacks(pipeline, Capability.SEVERAL_PUBLISHERS)
                    .map(
                        n ->
                            "needs "
                                + n
                                + ": a publisher is frozen while another runs, and "
                                + pipeline.name()
                                + "'s publisher stage runs once");
            case PARTITION,
                LATENCY,
                BANDWIDTH,
                RESET_PEER,
                SLOW_CLOSE,
                LIMIT_DATA,
                KILL,
                PAUSE,
                RESTART,
                SCHEMA_DRIFT,
                SLOW_COMMIT,
                POISON,
                ZOMBIE_CONSUMER,
                DDL,
                CLOCK_SKEW,
                LONG_OUTAGE,
                UNCLEAN_LEADER_ELECTION ->
                Optional.empty();
          };
      missing.ifPresent(m -> why.add("faults[" + fi + "] " + f.kind().key() + " " + m));
    }
    return why;
  }

  /** The capability's name when {@code pipeline} lacks it. */
  private static Optional<String> lacks(PipelineDescription pipeline, Capability c) {
    return pipeline.has(c) ? Optional.empty() : Optional.of(c.cliName());
  }

  /**
   * Why {@code scenario} cannot run on an infrastructure (pure: from what it offers): a process
   * fault on Postgres or a broker needs control of the servers' processes, which only an
   * infrastructure that started them has; the topology needs as many brokers as it names. Empty
   * when it applies.
   *
   * @param infrastructure how the infrastructure is named in the reasons, e.g. {@code external
   *     (Kafka at kafka.example:9092)}
   * @param controlsServers whether the harness can kill, pause and restart its servers
   * @param brokers how many Kafka brokers it has
   */
  public static List<String> infrastructureReasons(
      Scenario scenario, String infrastructure, boolean controlsServers, int brokers) {
    List<String> why = new ArrayList<>();
    if (scenario.topology().brokers() > brokers) {
      why.add(
          "topology.brokers: "
              + scenario.topology().brokers()
              + " needs that many Kafka brokers; "
              + infrastructure
              + " has "
              + brokers);
    }
    if (!controlsServers) {
      for (int i = 0; i < scenario.faults().size(); i++) {
        Fault f = scenario.faults().get(i).fault();
        if (f instanceof Fault.OnProcess p && isServer(p.target())) {
          why.add(
              "faults["
                  + i
                  + "] "
                  + f.kind()
                  + " "
                  + p.target().cliName()
                  + " needs control of the server's process, which the harness does not have on "
                  + infrastructure
                  + ": it did not start that server");
        }
        if (f instanceof Fault.UncleanLeaderElection) {
          why.add(
              "faults["
                  + i
                  + "] "
                  + f.kind()
                  + " pauses, kills and restarts brokers, which the harness cannot do on "
                  + infrastructure
                  + ": it did not start them");
        }
      }
    }
    return why;
  }

  /** Postgres or a Kafka broker, as opposed to a pipeline process the harness always starts. */
  static boolean isServer(Target target) {
    return target == Target.Service.POSTGRES
        || target == Target.Service.KAFKA_LEADER
        || target instanceof Target.Broker;
  }

  /**
   * The invariants among {@code names} that do not apply to {@code pipeline}, each with its reason,
   * in the order given.
   */
  public static Map<String, String> invariantsNotApplicable(
      List<String> names, PipelineDescription pipeline) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String name : names) {
      Set<Capability> needs = INVARIANT_NEEDS.getOrDefault(name, Set.of());
      List<String> missing =
          needs.stream().filter(c -> !pipeline.has(c)).map(Capability::cliName).sorted().toList();
      if (!missing.isEmpty()) {
        out.put(
            name,
            pipeline.name()
                + " does not declare "
                + String.join(", ", missing)
                + ", which "
                + name
                + " reads");
      }
    }
    return out;
  }

  /** The result filed for an invariant that does not apply. */
  public static CheckResult notApplicable(String invariant, String reason) {
    return new CheckResult(
        invariant, Verdict.NOT_APPLICABLE, "not applicable: " + reason, List.of(reason), Map.of());
  }
}
