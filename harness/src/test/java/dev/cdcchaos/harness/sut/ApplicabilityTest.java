package dev.cdcchaos.harness.sut;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Checkers;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.Topology;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.variant.Variant;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract's applicability rules on a fake pipeline description: no servers. */
class ApplicabilityTest {

  /** A pipeline that keeps only wh_orders and checkpoints, and whose consumer has crash points. */
  private static final PipelineDescription FAKE =
      new PipelineDescription(
          "fake",
          "a fake pipeline for tests",
          StageCommand.of(List.of("/bin/true")),
          StageCommand.of(List.of("/bin/true")),
          Optional.empty(),
          EnumSet.of(Capability.CONSUMER_CRASH_POINTS, Capability.CHECKPOINTS),
          Set.of(),
          Map.of(),
          "test");

  private static final WorkloadSpec WORKLOAD = WorkloadSpec.of(10);

  private static FaultSpec at3s(Fault f) {
    return FaultSpec.of(new Trigger.After(Duration.ofSeconds(3)), f);
  }

  @Test
  void aScenarioWhoseFaultsTheFakeHasAppliesToIt() {
    Scenario s =
        Scenario.of(
            "ok",
            1,
            WORKLOAD,
            List.of(
                at3s(new Fault.Crash(Target.Service.CONSUMER, "consumer.mid-batch")),
                at3s(new Fault.Partition(Link.PUBLISHER_KAFKA)),
                at3s(new Fault.Kill(Target.Service.PUBLISHER))));
    assertThat(Applicability.reasons(s, Variant.CORRECT, FAKE))
        .as("consumer crash points are declared; network and process faults need nothing")
        .isEmpty();
  }

  @Test
  void dualWriteNeedsWriterProcessesAndWriterCrashPointsNeedNoPipelineCapability() {
    Scenario inJvm = Scenario.of("jvm", 1, WORKLOAD, List.of());
    assertThat(Applicability.reasons(inJvm, Variant.DUAL_WRITE, Pipelines.reference()))
        .as("the writers of the harness JVM never write in two transactions: not a silent VALID")
        .singleElement()
        .asString()
        .contains("needs workload.writers_in: processes");
    Scenario processes =
        Scenario.of(
            "processes",
            1,
            WORKLOAD.withWritersIn(dev.cdcchaos.harness.workload.WritersIn.PROCESSES),
            List.of(at3s(new Fault.Crash(new Target.Writer(0), "writer.after-orders"))));
    assertThat(Applicability.reasons(processes, Variant.DUAL_WRITE, Pipelines.reference()))
        .isEmpty();
    assertThat(Applicability.reasons(processes, Variant.CORRECT, FAKE))
        .as("the writers are the application the harness runs, whatever the pipeline declares")
        .isEmpty();
  }

  @Test
  void eachMissingCapabilityIsAReasonNamingTheFault() {
    Scenario s =
        Scenario.of(
                "na",
                1,
                WORKLOAD,
                List.of(
                    at3s(new Fault.Crash(Target.Service.PUBLISHER, "publisher.before-mark")),
                    at3s(new Fault.Duplicate(0.2))))
            .withTopology(new Topology(1, 3, 1, 2));
    List<String> why = Applicability.reasons(s, Variant.OFFSET_BEFORE_WRITE, FAKE);
    assertThat(why)
        .as("variant, several publishers, publisher crash point and send hook are each missing")
        .hasSize(4);
    assertThat(String.join("\n", why))
        .contains("variant offset-before-write")
        .contains("topology.publishers: 2 needs several-publishers")
        .contains("faults[0] crash at publisher.before-mark needs publisher-crash-points")
        .contains("faults[1] duplicate needs send-hook");
  }

  @Test
  void invariantsWhoseTablesAreAbsentAreNotApplicableWithTheirReason() {
    Map<String, String> na = Applicability.invariantsNotApplicable(Checkers.names(), FAKE);
    assertThat(na.keySet())
        .as("the fake keeps wh_orders and checkpoints only")
        .containsExactly(
            "no-loss",
            "no-duplicates",
            "lake-complete",
            "replay-equivalent",
            "accounting",
            "snapshot-consistent",
            "monotonic-reads");
    assertThat(na.get("no-duplicates")).contains("ledger, totals");
    assertThat(Applicability.invariantsNotApplicable(Checkers.names(), Pipelines.reference()))
        .as("the reference pipeline keeps every table")
        .isEmpty();
  }

  @Test
  void notApplicableNeverTurnsARunValidAndNeverFailsIt() {
    CheckResult na = Applicability.notApplicable("lake-complete", "no lake");
    assertThat(na.verdict()).isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(Verdict.NOT_APPLICABLE.and(Verdict.VALID)).isEqualTo(Verdict.VALID);
    assertThat(Verdict.NOT_APPLICABLE.and(Verdict.UNKNOWN)).isEqualTo(Verdict.UNKNOWN);
    assertThat(Verdict.NOT_APPLICABLE.and(Verdict.INVALID)).isEqualTo(Verdict.INVALID);
    assertThat(Verdict.NOT_APPLICABLE.and(Verdict.NOT_APPLICABLE))
        .as("a run in which nothing applied is not applicable, not valid")
        .isEqualTo(Verdict.NOT_APPLICABLE);
    assertThat(Verdict.NOT_APPLICABLE.label()).isEqualTo("NOT-APPLICABLE");
  }

  @Test
  void debeziumLacksThePollingPublishersHooksAndKeepsTheConsumersTables() {
    PipelineDescription d =
        new PipelineDescription(
            "debezium-like",
            "",
            StageCommand.of(List.of("/bin/true")),
            StageCommand.of(List.of("/bin/true")),
            Optional.empty(),
            EnumSet.complementOf(
                EnumSet.of(
                    Capability.PUBLISHER_CRASH_POINTS,
                    Capability.SEND_HOOK,
                    Capability.SEVERAL_PUBLISHERS,
                    Capability.OUTBOX_MARKS,
                    Capability.VARIANTS)),
            Set.of(Need.LOGICAL_REPLICATION),
            Map.of(),
            "test");
    Scenario crash =
        Scenario.of(
            "c",
            1,
            WORKLOAD,
            List.of(at3s(new Fault.Crash(Target.Service.PUBLISHER, "publisher.after-send"))));
    assertThat(Applicability.reasons(crash, Variant.CORRECT, d)).hasSize(1);
    assertThat(Applicability.invariantsNotApplicable(Checkers.names(), d)).isEmpty();
  }

  @Test
  void onServersTheHarnessDoesNotOwnOnlyServerProcessFaultsAreNotApplicable() {
    Scenario s =
        Scenario.of(
            "external",
            1,
            WORKLOAD,
            List.of(
                at3s(new Fault.Partition(Link.PUBLISHER_KAFKA)),
                at3s(new Fault.Kill(Target.Service.POSTGRES)),
                at3s(new Fault.Kill(Target.Service.CONSUMER)),
                at3s(new Fault.Pause(new Target.Broker(1))),
                at3s(new Fault.Restart(Target.Service.KAFKA_LEADER)),
                at3s(new Fault.Pause(Target.Service.PUBLISHER))));

    assertThat(Applicability.infrastructureReasons(s, "external infrastructure", false, 1))
        .containsExactly(
            "faults[1] kill postgres needs control of the server's process, which the harness does"
                + " not have on external infrastructure: it did not start that server",
            "faults[3] pause kafka-1 needs control of the server's process, which the harness does"
                + " not have on external infrastructure: it did not start that server",
            "faults[4] restart kafka-leader needs control of the server's process, which the"
                + " harness does not have on external infrastructure: it did not start that server");
    assertThat(Applicability.infrastructureReasons(s, "local infrastructure", true, 1))
        .as("where the harness started the servers every fault applies")
        .isEmpty();
  }

  @Test
  void aTopologyWithMoreBrokersThanTheInfrastructureHasIsNotApplicable() {
    Scenario three = Scenario.of("three", 1, WORKLOAD, List.of()).withTopology(Topology.of(3, 3));

    assertThat(Applicability.infrastructureReasons(three, "external infrastructure", false, 1))
        .containsExactly(
            "topology.brokers: 3 needs that many Kafka brokers; external infrastructure has 1");
    assertThat(Applicability.infrastructureReasons(three, "external infrastructure", false, 3))
        .isEmpty();
  }
}
