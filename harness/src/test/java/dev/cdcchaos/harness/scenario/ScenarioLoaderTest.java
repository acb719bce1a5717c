package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScenarioLoaderTest {
  private static final String FILE = "scenarios/x.yaml";

  private static final String HEAD =
      """
      name: x
      seed: 7
      topology: { brokers: 3, partitions: 6 }
      workload: { orders: 100, updates_per_order: 4 }
      faults:
      """;

  /** {@link #HEAD} with two publishers, for the faults that need a second one. */
  private static final String HEAD_TWO_PUBLISHERS =
      HEAD.replace("partitions: 6 }", "partitions: 6, publishers: 2 }");

  private static Scenario parse(String yaml) {
    return ScenarioLoader.parse(yaml, FILE);
  }

  private static String errorOf(String yaml) {
    try {
      parse(yaml);
    } catch (ScenarioException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected the scenario to be rejected:\n" + yaml);
  }

  @Test
  void theArchitectureSampleLoadsWithEveryField() {
    Scenario s =
        parse(
            """
            name: consumer-crash-after-warehouse-write
            description: |
              The consumer dies after the warehouse commit, before the offset commit.
            seed: 42
            variant: offset-before-write
            topology: { brokers: 1, partitions: 3 }
            workload:
              orders: 500
              updates_per_order: 4
              writers: 4
              rate_per_s: 2000
              cancel_fraction: 0.1
              delete_fraction: 0.05
              schema_drift_fraction: 0.2
              poison: { count: 5, kinds: [malformed-json, oversized] }
            pipeline: { publisher_batch: 100, consumer_batch: 250 }
            faults:
              - { at: { events_applied: 300 }, crash: consumer, point: consumer.after-warehouse }
              - { at: { after: 3s }, partition: consumer->kafka, for: 2s }
            expect: { invariants: [converged, no-loss], converge_within: 30s }
            """);

    assertThat(s.name()).isEqualTo("consumer-crash-after-warehouse-write");
    assertThat(s.description())
        .isEqualTo("The consumer dies after the warehouse commit, before the offset commit.\n");
    assertThat(s.seed()).isEqualTo(42);
    assertThat(s.variant()).contains(Variant.OFFSET_BEFORE_WRITE);
    assertThat(s.topology()).isEqualTo(new Topology(1, 3, 1));
    assertThat(s.workload())
        .isEqualTo(
            new WorkloadSpec(
                500,
                4,
                4,
                2000,
                0.1,
                0.05,
                0.2,
                PoisonMix.count(5, List.of(PoisonKind.MALFORMED_JSON, PoisonKind.OVERSIZED)),
                WorkloadSpec.DEFAULT_EDGE_FRACTION));
    assertThat(s.pipeline()).isEqualTo(new PipelineSettings(100, 250));
    assertThat(s.faults())
        .containsExactly(
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 300),
                new Fault.Crash(Target.Service.CONSUMER, "consumer.after-warehouse")),
            FaultSpec.of(
                new Trigger.After(Duration.ofSeconds(3)),
                Duration.ofSeconds(2),
                new Fault.Partition(Link.CONSUMER_KAFKA)));
    assertThat(s.expect())
        .isEqualTo(
            new Expectations(
                EnumSet.of(Invariant.CONVERGED, Invariant.NO_LOSS), Duration.ofSeconds(30)));
  }

  @Test
  void defaultsFillWhatAMinimalFileLeavesOut() {
    Scenario s = ScenarioLoader.parse("seed: 1\nworkload: { orders: 10 }\n", "scenarios/tiny.yaml");

    assertThat(s.name()).as("the name defaults to the file name").isEqualTo("tiny");
    assertThat(s.topology()).isEqualTo(Topology.DEFAULT);
    assertThat(s.workload()).isEqualTo(WorkloadSpec.of(10));
    assertThat(s.faults()).isEmpty();
    assertThat(s.expect()).isEqualTo(Expectations.DEFAULT);
    assertThat(s.expect().all()).isTrue();
    assertThat(s.variant()).isEmpty();
    assertThat(s.pipeline()).isEqualTo(PipelineSettings.DEFAULT);
  }

  static Stream<Arguments> oneFileperFaultKind() {
    Trigger at3s = new Trigger.After(Duration.ofSeconds(3));
    return Stream.of(
        Arguments.of(
            "{ at: { after: 3s }, partition: publisher->kafka, for: 2s }",
            FaultSpec.of(at3s, Duration.ofSeconds(2), new Fault.Partition(Link.PUBLISHER_KAFKA))),
        Arguments.of(
            "{ at: { after: 3s }, partition: writer->postgres, mode: down, direction: upstream }",
            FaultSpec.of(
                at3s,
                new Fault.Partition(
                    Link.WRITER_POSTGRES, Direction.UPSTREAM, Fault.PartitionMode.DOWN))),
        Arguments.of(
            "{ at: { after: 3s }, latency: consumer->kafka, delay: 200ms, jitter: 50ms, for: 5s }",
            FaultSpec.of(
                at3s,
                Duration.ofSeconds(5),
                new Fault.Latency(
                    Link.CONSUMER_KAFKA,
                    Direction.DOWNSTREAM,
                    Duration.ofMillis(200),
                    Duration.ofMillis(50)))),
        Arguments.of(
            "{ at: { after: 3s }, bandwidth: publisher->postgres, kb_per_s: 64, direction: both }",
            FaultSpec.of(at3s, new Fault.Bandwidth(Link.PUBLISHER_POSTGRES, Direction.BOTH, 64))),
        Arguments.of(
            "{ at: { after: 3s }, reset-peer: publisher->kafka, timeout: 100ms }",
            FaultSpec.of(
                at3s,
                new Fault.ResetPeer(
                    Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, Duration.ofMillis(100)))),
        Arguments.of(
            "{ at: { after: 3s }, slow-close: consumer->kafka, delay: 2s }",
            FaultSpec.of(
                at3s,
                new Fault.SlowClose(
                    Link.CONSUMER_KAFKA, Direction.DOWNSTREAM, Duration.ofSeconds(2)))),
        Arguments.of(
            "{ at: { after: 3s }, limit-data: consumer->kafka, bytes: 4096 }",
            FaultSpec.of(
                at3s, new Fault.LimitData(Link.CONSUMER_KAFKA, Direction.DOWNSTREAM, 4096))),
        Arguments.of(
            "{ at: { events_committed: 50 }, kill: kafka-2, for: 1s }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_COMMITTED, 50),
                Duration.ofSeconds(1),
                new Fault.Kill(new Target.Broker(2)))),
        Arguments.of(
            "{ at: { events_published: 50 }, pause: kafka-leader, for: 4s }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_PUBLISHED, 50),
                Duration.ofSeconds(4),
                new Fault.Pause(Target.Service.KAFKA_LEADER))),
        Arguments.of(
            "{ at: 2m, restart: postgres }",
            FaultSpec.of(
                new Trigger.After(Duration.ofMinutes(2)),
                new Fault.Restart(Target.Service.POSTGRES))),
        Arguments.of(
            "{ at: { events_applied: 0 }, crash: publisher, point: publisher.before-mark }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 0),
                Fault.Crash.at("publisher.before-mark"))),
        Arguments.of(
            "{ at: { after: 500ms }, duplicate: 0.25, for: 10s }",
            FaultSpec.of(
                new Trigger.After(Duration.ofMillis(500)),
                Duration.ofSeconds(10),
                new Fault.Duplicate(0.25))),
        Arguments.of(
            "{ at: { after: 3s }, reorder: 20 }", FaultSpec.of(at3s, new Fault.Reorder(20))),
        Arguments.of(
            "{ at: { after: 3s }, redeliver: 100 }",
            FaultSpec.of(at3s, new Fault.Redeliver(new Fault.Rewind.By(100)))),
        Arguments.of(
            "{ at: { after: 3s }, redeliver: earliest }",
            FaultSpec.of(at3s, new Fault.Redeliver(new Fault.Rewind.ToStart()))),
        Arguments.of(
            "{ at: { after: 3s }, schema-drift: 1, for: 1h }",
            FaultSpec.of(at3s, Duration.ofHours(1), new Fault.SchemaDrift(1.0))),
        Arguments.of(
            "{ at: { after: 1s }, slow-commit: 3, for: 2s }",
            FaultSpec.of(
                new Trigger.After(Duration.ofSeconds(1)),
                Duration.ofSeconds(2),
                new Fault.SlowCommit(3))),
        Arguments.of(
            "{ at: { events_committed: 100 }, slow-commit: 1 }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_COMMITTED, 100),
                new Fault.SlowCommit(1))),
        Arguments.of(
            "{ at: { after: 3s }, poison: 7, kinds: [unknown-type, missing-id] }",
            FaultSpec.of(
                at3s,
                new Fault.Poison(7, List.of(PoisonKind.UNKNOWN_TYPE, PoisonKind.MISSING_ID)))),
        Arguments.of(
            "{ at: { after: 3s }, poison: 7 }",
            FaultSpec.of(at3s, new Fault.Poison(7, List.of(PoisonKind.values())))),
        Arguments.of(
            "{ at: { after: 3s }, reset-offsets: earliest }",
            FaultSpec.of(at3s, new Fault.ResetOffsets(new Fault.OffsetReset.Earliest()))),
        Arguments.of(
            "{ at: { after: 3s }, reset-offsets: latest }",
            FaultSpec.of(at3s, new Fault.ResetOffsets(new Fault.OffsetReset.Latest()))),
        Arguments.of(
            "{ at: { after: 3s }, reset-offsets: 5s }",
            FaultSpec.of(
                at3s, new Fault.ResetOffsets(new Fault.OffsetReset.Ago(Duration.ofSeconds(5))))),
        Arguments.of(
            "{ at: { events_applied: 100 }, recreate-topic: drained }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 100),
                new Fault.RecreateTopic())),
        Arguments.of(
            "{ at: { after: 3s }, zombie-consumer: consumer, for: 8s }",
            FaultSpec.of(at3s, Duration.ofSeconds(8), new Fault.ZombieConsumer())),
        Arguments.of(
            "{ at: { after: 3s }, ddl: add-column }",
            FaultSpec.of(at3s, new Fault.Ddl(Fault.DdlChange.ADD_COLUMN))),
        Arguments.of(
            "{ at: { after: 3s }, ddl: widen-type }",
            FaultSpec.of(at3s, new Fault.Ddl(Fault.DdlChange.WIDEN_TYPE))),
        Arguments.of(
            "{ at: { after: 3s }, clock-skew: forward, for: 2s }",
            FaultSpec.of(
                at3s, Duration.ofSeconds(2), new Fault.ClockSkew(Fault.SkewDirection.FORWARD, 0))),
        Arguments.of(
            "{ at: { after: 3s }, clock-skew: backward, writer: 2 }",
            FaultSpec.of(at3s, new Fault.ClockSkew(Fault.SkewDirection.BACKWARD, 2))),
        Arguments.of(
            "{ at: { after: 3s }, disk-full: lake, for: 2s }",
            FaultSpec.of(at3s, Duration.ofSeconds(2), new Fault.DiskFull(Fault.Store.LAKE))),
        Arguments.of(
            "{ at: { after: 3s }, disk-full: warehouse }",
            FaultSpec.of(at3s, new Fault.DiskFull(Fault.Store.WAREHOUSE))),
        Arguments.of(
            "{ at: { after: 3s }, long-outage: consumer->kafka, for: 35s }",
            FaultSpec.of(at3s, Duration.ofSeconds(35), new Fault.LongOutage(Link.CONSUMER_KAFKA))),
        Arguments.of(
            "{ at: { after: 3s }, long-pause: publisher-2, for: 40s }",
            FaultSpec.of(
                at3s, Duration.ofSeconds(40), new Fault.LongPause(new Target.Publisher(2)))),
        Arguments.of(
            "{ at: { events_published: 50 }, unclean-leader-election: 0, for: 2s }",
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_PUBLISHED, 50),
                Duration.ofSeconds(2),
                new Fault.UncleanLeaderElection(0))));
  }

  @ParameterizedTest
  @MethodSource("oneFileperFaultKind")
  void eachFaultKindParsesToItsRecordAndRoundTrips(String line, FaultSpec expected) {
    Scenario s =
        parse((line.contains("long-pause") ? HEAD_TWO_PUBLISHERS : HEAD) + "  - " + line + "\n");

    assertThat(s.faults()).as("fault parsed from %s", line).containsExactly(expected);
    assertThat(ScenarioLoader.parse(ScenarioWriter.toYaml(s), FILE))
        .as("written back and loaded again")
        .isEqualTo(s);
  }

  @Test
  void everyFaultKindIsCoveredByTheTable() {
    assertThat(oneFileperFaultKind().map(a -> ((FaultSpec) a.get()[1]).fault().kind().key()))
        .containsAll(Fault.KINDS);
  }

  @Test
  void aFaultMayBeOptionalAndIsWrittenBackSo() {
    Scenario s =
        parse(
            HEAD
                + """
                  - { at: { after: 3s }, partition: consumer->kafka, for: 2s, optional: true }
                  - { at: { after: 3s }, kill: consumer, optional: false }
                  - { at: { after: 3s }, redeliver: 5 }
                """);
    assertThat(s.faults()).extracting(FaultSpec::optional).containsExactly(true, false, false);
    String yaml = ScenarioWriter.toYaml(s);
    assertThat(yaml)
        .as("only a fault that is optional says so")
        .containsOnlyOnce("optional: true")
        .doesNotContain("optional: false");
    assertThat(ScenarioLoader.parse(yaml, FILE)).as("written back and loaded again").isEqualTo(s);
  }

  @Test
  void optionalMustBeTrueOrFalse() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s }, kill: consumer, optional: 1 }
                  - { at: { after: 1s }, kill: consumer, optional: "true" }
                  - { at: { after: 1s }, kill: consumer, optional: }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:6:52: faults[0].optional: found integer 1, expected true or false",
            "scenarios/x.yaml:7:52: faults[1].optional: found 'true', expected true or false",
            "scenarios/x.yaml:8:51: faults[2].optional: found nothing, expected true or false");
  }

  // ------------------------------------------------------------------ bad input

  @Test
  void unknownLinkNamesFileLineColumnFieldAndTheValidLinks() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s }, kill: consumer }
                  - { at: { after: 3s }, partition: consumer->kafak, for: 2s }
                """);
    assertThat(msg)
        .isEqualTo(
            "scenarios/x.yaml:7:37: faults[1].partition: unknown link 'consumer->kafak',"
                + " expected one of publisher->kafka, consumer->kafka, publisher->postgres,"
                + " writer->postgres (did you mean 'consumer->kafka'?)");
  }

  @Test
  void unknownFaultKindSuggestsTheClosest() {
    assertThat(errorOf(HEAD + "  - { at: { after: 1s }, partiton: consumer->kafka }\n"))
        .startsWith("scenarios/x.yaml:6:26: faults[0]: unknown fault kind 'partiton', expected")
        .endsWith("(did you mean 'partition'?)");
  }

  @Test
  void missingFaultKindIsNamed() {
    assertThat(errorOf(HEAD + "  - { at: { after: 1s }, for: 2s }\n"))
        .startsWith(
            "scenarios/x.yaml:6:5: faults[0]: no fault kind given, expected one of partition,");
  }

  @Test
  void twoKindsInOneItemAreRejected() {
    assertThat(errorOf(HEAD + "  - { at: { after: 1s }, kill: consumer, pause: publisher }\n"))
        .contains("faults[0]: found more than one fault kind (kill, pause)");
  }

  @Test
  void unknownFieldsAreRejectedAtEveryLevel() {
    String msg =
        errorOf(
            """
            name: x
            seeed: 1
            workload: { orders: 10, updates: 3 }
            faults:
              - { at: { after: 1s }, kill: consumer, point: consumer.after-lake }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:2:1: seeed: unknown field 'seeed' in a scenario, expected one of"
                + " name, description, seed, variant, topology, workload, pipeline, faults, reads,"
                + " expect (did you mean 'seed'?)",
            "scenarios/x.yaml:1:1: seed: missing required field 'seed'",
            "scenarios/x.yaml:3:25: workload.updates: unknown field 'updates' in workload, expected"
                + " one of orders, updates_per_order, writers, rate_per_s, cancel_fraction,"
                + " delete_fraction, schema_drift_fraction, edge_fraction, poison, writers_in",
            "scenarios/x.yaml:5:42: faults[0].point: unknown field 'point' in a 'kill' fault,"
                + " expected one of at, for, optional, kill");
  }

  @Test
  void badDurationsSayWhatTheSyntaxIs() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 3 }, kill: consumer }
                  - { at: { after: 3sec }, kill: consumer }
                  - { at: { after: 2h }, kill: consumer }
                expect: { converge_within: -1s }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:6:20: faults[0].at.after: found integer 3 (a unit is required),"
                + " expected a duration like 500ms, 3s, 2m or 1h, from 0s to 1h",
            "scenarios/x.yaml:7:20: faults[1].at.after: found '3sec', expected a duration like"
                + " 500ms, 3s, 2m or 1h, from 0s to 1h",
            "scenarios/x.yaml:8:20: faults[2].at.after: found 2h, out of range, expected a"
                + " duration like 500ms, 3s, 2m or 1h, from 0s to 1h",
            "scenarios/x.yaml:9:28: expect.converge_within: found '-1s', expected a duration like"
                + " 500ms, 3s, 2m or 1h, from 1ms to 1h");
  }

  @Test
  void wrongTypesNameWhatWasFound() {
    String msg =
        errorOf(
            """
            name: x
            seed: forty-two
            workload: { orders: "500", cancel_fraction: high, writers: [1, 2] }
            faults: { kill: consumer }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:2:7: seed: found 'forty-two', expected an integer",
            "scenarios/x.yaml:3:21: workload.orders: found '500', expected an integer in"
                + " 1..1000000",
            "scenarios/x.yaml:3:60: workload.writers: found a list, expected an integer in 1..64",
            "scenarios/x.yaml:3:45: workload.cancel_fraction: found 'high', expected a fraction"
                + " in 0..1, e.g. 0.1",
            "scenarios/x.yaml:4:9: faults: found a mapping, expected a list of faults");
  }

  @Test
  void outOfRangeNumbersGiveTheRange() {
    String msg =
        errorOf(
            """
            seed: 1
            topology: { brokers: 2, partitions: 0, replication_factor: 2 }
            workload: { orders: 0, writers: 65, delete_fraction: 1.5 }
            faults:
              - { at: { after: 1s }, duplicate: 0 }
              - { at: { after: 1s }, reorder: 1 }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:2:22: topology.brokers: found 2, expected 1 or 3",
            "scenarios/x.yaml:2:37: topology.partitions: found 0, out of range, expected an"
                + " integer in 1..64",
            "scenarios/x.yaml:3:21: workload.orders: found 0, out of range, expected an integer in"
                + " 1..1000000",
            "scenarios/x.yaml:3:33: workload.writers: found 65, out of range, expected an integer"
                + " in 1..64",
            "scenarios/x.yaml:3:54: workload.delete_fraction: found 1.5, out of range, expected a"
                + " fraction in 0..1, e.g. 0.1",
            "scenarios/x.yaml:5:37: faults[0].duplicate: found 0, out of range, expected a"
                + " fraction > 0 and <= 1, e.g. 0.1",
            "scenarios/x.yaml:6:35: faults[1].reorder: found 1, out of range, expected a window of"
                + " records in 2..100000");
  }

  @Test
  void replicationBeyondTheBrokersIsRejected() {
    assertThat(
            errorOf(
                "seed: 1\ntopology: { brokers: 1, replication_factor: 3 }\n"
                    + "workload: { orders: 1 }\n"))
        .isEqualTo(
            "scenarios/x.yaml:2:45: topology.replication_factor: found 3, out of range, expected an"
                + " integer in 1..1");
  }

  @Test
  void publishersDefaultToOne() {
    Scenario s =
        parse("seed: 1\ntopology: { brokers: 3, partitions: 6 }\nworkload: { orders: 10 }\n");

    assertThat(s.topology().publishers())
        .as("a topology without publishers runs one, as before the field existed")
        .isEqualTo(1);
    assertThat(s.topology()).isEqualTo(new Topology(3, 6, 3, 1));
  }

  @Test
  void severalPublishersAreNamedPublisherThenPublisher2() {
    Scenario s =
        parse(
            """
            seed: 1
            topology: { publishers: 3 }
            workload: { orders: 10 }
            faults:
              - { at: { after: 1s }, crash: publisher-2, point: publisher.after-send }
              - { at: { after: 1s }, kill: publisher-3, for: 1s }
              - { at: { after: 1s }, pause: publisher-1, for: 1s }
              - { at: { after: 1s }, crash: publisher, point: publisher.before-mark }
            """);

    assertThat(s.topology()).isEqualTo(new Topology(1, 3, 1, 3));
    assertThat(s.faults())
        .extracting(FaultSpec::fault)
        .as("publisher-1 is the plain publisher; publisher-2 and -3 are the others")
        .containsExactly(
            new Fault.Crash(new Target.Publisher(2), "publisher.after-send"),
            new Fault.Kill(new Target.Publisher(3)),
            new Fault.Pause(Target.Service.PUBLISHER),
            new Fault.Crash(Target.Service.PUBLISHER, "publisher.before-mark"));
  }

  @Test
  void publishersOutOfRangeAndPublishersTheTopologyLacksAreRejected() {
    assertThat(
            errorOf("seed: 1\ntopology: { brokers: 1, publishers: 5 }\nworkload: { orders: 1 }\n"))
        .isEqualTo(
            "scenarios/x.yaml:2:37: topology.publishers: found 5, out of range, expected an"
                + " integer in 1..4");
    assertThat(errorOf("seed: 1\ntopology: { publishers: 0 }\nworkload: { orders: 1 }\n"))
        .isEqualTo(
            "scenarios/x.yaml:2:25: topology.publishers: found 0, out of range, expected an"
                + " integer in 1..4");
    String msg =
        errorOf(
            """
            seed: 1
            topology: { publishers: 2 }
            workload: { orders: 10 }
            faults:
              - { at: { after: 1s }, kill: publisher-3 }
              - { at: { after: 1s }, crash: publisher-3, point: publisher.after-send }
              - { at: { after: 1s }, crash: publisher-2, point: consumer.mid-batch }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:5:32: faults[0].kill: unknown target 'publisher-3' (the topology has"
                + " 2 publishers: set topology.publishers), expected one of consumer, publisher,"
                + " publisher-2, postgres, kafka-1, kafka-leader",
            "scenarios/x.yaml:6:33: faults[1].crash: unknown target 'publisher-3' (the topology"
                + " has 2 publishers: set topology.publishers), expected one of consumer,"
                + " publisher, publisher-2",
            "scenarios/x.yaml:7:53: faults[2].point: 'consumer.mid-batch' is not a crash point of"
                + " the publisher, expected one of publisher.after-send, publisher.before-mark");
  }

  @Test
  void numberedPublishersAreUnknownWithOnePublisher() {
    assertThat(
            errorOf(
                "seed: 1\nworkload: { orders: 10 }\nfaults:\n"
                    + "  - { at: { after: 1s }, pause: publisher-2 }\n"))
        .as("publisher-2 exists only with topology.publishers >= 2")
        .startsWith("scenarios/x.yaml:4:33: faults[0].pause: unknown target 'publisher-2'");
  }

  @Test
  void targetsAreCheckedAgainstTheTopology() {
    String msg =
        errorOf(
            """
            seed: 1
            workload: { orders: 10 }
            faults:
              - { at: { after: 1s }, kill: kafka-3 }
              - { at: { after: 1s }, pause: consumr }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:4:32: faults[0].kill: unknown target 'kafka-3' (the topology has 1"
                + " broker), expected one of consumer, publisher, postgres, kafka-1, kafka-leader",
            "scenarios/x.yaml:5:33: faults[1].pause: unknown target 'consumr', expected one of"
                + " consumer, publisher, postgres, kafka-1, kafka-leader (did you mean"
                + " 'consumer'?)");
  }

  @Test
  void crashPointsMustExistAndBelongToTheProcess() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s }, crash: consumer, point: consumer.after-lak }
                  - { at: { after: 1s }, crash: consumer, point: publisher.after-send }
                  - { at: { after: 1s }, crash: postgres, point: consumer.after-lake }
                  - { at: { after: 1s }, crash: consumer }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:6:50: faults[0].point: unknown crash point 'consumer.after-lak',"
                + " expected one of consumer.after-lake, consumer.mid-batch,"
                + " consumer.after-warehouse, consumer.before-offset-commit, publisher.after-send,"
                + " publisher.before-mark, writer.after-orders, writer.after-outbox, writer.before-commit (did you mean 'consumer.after-lake'?)",
            "scenarios/x.yaml:7:50: faults[1].point: 'publisher.after-send' is not a crash point of"
                + " the consumer, expected one of consumer.after-lake, consumer.mid-batch,"
                + " consumer.after-warehouse, consumer.before-offset-commit",
            "scenarios/x.yaml:8:33: faults[2].crash: unknown process with crash points 'postgres',"
                + " expected one of consumer, publisher",
            "scenarios/x.yaml:9:5: faults[3].point: missing required field 'point'");
  }

  @Test
  void unknownInvariantsVariantsAndPoisonKindsAreRejected() {
    String msg =
        errorOf(
            """
            seed: 1
            variant: no-version-guards
            workload: { orders: 10, poison: { count: 1, kinds: [malformed-json, huge] } }
            expect: { invariants: [converged, no-los] }
            """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:2:10: variant: unknown variant 'no-version-guards', expected one of"
                + " correct, offset-before-write, no-version-guard, mark-before-send,"
                + " id-cursor-polling, no-idempotency-ledger, lake-append-random-name,"
                + " dlq-drops-batch, mark-all-published, non-atomic-checkpoint,"
                + " checkpoint-ignores-partition, deferred-checkpoint, floor-trusts-snapshot-list,"
                + " dual-write, checkpoint-by-timestamp, fresh-start-at-latest,"
                + " poison-retried-forever, partial-row-upsert, resubmitted-twice,"
                + " offset-watermark-dedup, unfenced-stale-checkpoint (did you mean"
                + " 'no-version-guard'?)",
            "scenarios/x.yaml:3:69: workload.poison.kinds[1]: unknown poison kind 'huge', expected"
                + " one of malformed-json, wrong-types, oversized, unknown-type, missing-id,"
                + " negative-version",
            "scenarios/x.yaml:4:35: expect.invariants[1]: unknown invariant 'no-los', expected one"
                + " of converged, no-loss, no-duplicates, lake-complete, replay-equivalent,"
                + " checkpoints-sound, accounting, liveness, snapshot-consistent, monotonic-reads"
                + " (did you mean 'no-loss'?)");
  }

  @Test
  void oneOffFaultsTakeNoDurationAndWindowsNeedAPositiveOne() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s }, redeliver: 10, for: 2s }
                  - { at: { after: 1s }, duplicate: 0.5, for: 0s }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:6:41: faults[0].for: 'redeliver' is a one-off action and takes no"
                + " duration, expected no 'for'",
            "scenarios/x.yaml:7:47: faults[1].for: found 0s, out of range, expected a duration"
                + " like 500ms, 3s, 2m or 1h, from 1ms to 1h");
  }

  @Test
  void slowCommitNeedsAtLeastOneWriterAndAtMostTheWorkloadHas() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s }, slow-commit: 5, for: 2s }
                  - { at: { after: 1s }, slow-commit: 0, for: 2s }
                  - { at: { after: 1s }, slow-commit: , for: 2s }
                  - { at: { after: 1s }, slow-commit: two }
                  - { at: { after: 1s }, slow-commit: 1, for: 0s }
                  - { at: { after: 1s }, slow-commit: 1, delay: 2s }
                """);
    assertThat(msg.lines())
        .as("the default workload has 4 writers")
        .containsExactly(
            "scenarios/x.yaml:6:39: faults[0].slow-commit: found 5, out of range, expected a"
                + " number of writers in 1..4 (the workload has 4)",
            "scenarios/x.yaml:7:39: faults[1].slow-commit: found 0, out of range, expected a"
                + " number of writers in 1..64",
            "scenarios/x.yaml:8:38: faults[2].slow-commit: found nothing, expected a number of"
                + " writers in 1..64",
            "scenarios/x.yaml:9:39: faults[3].slow-commit: found 'two', expected a number of"
                + " writers in 1..64",
            "scenarios/x.yaml:10:47: faults[4].for: found 0s, out of range, expected a duration"
                + " like 500ms, 3s, 2m or 1h, from 1ms to 1h",
            "scenarios/x.yaml:11:42: faults[5].delay: unknown field 'delay' in a 'slow-commit'"
                + " fault, expected one of at, for, optional, slow-commit");
  }

  @Test
  void slowCommitOfEveryWriterNeedsAFor() {
    assertThat(
            errorOf(
                """
                seed: 1
                workload: { orders: 10, writers: 1 }
                faults:
                  - { at: 1s, slow-commit: 1 }
                """))
        .isEqualTo(
            "scenarios/x.yaml:4:28: faults[0].slow-commit: found 1, every writer of the workload,"
                + " without 'for', expected a 'for' (held \"until the other writers finished\","
                + " these would never be released) or fewer than 1 writers");
    assertThat(
            ScenarioLoader.parse(
                    """
                    seed: 1
                    workload: { orders: 10, writers: 1 }
                    faults:
                      - { at: { after: 1s }, slow-commit: 1, for: 2s }
                    """,
                    "x.yaml")
                .faults())
        .as("the only writer may stall for a while: nothing commits after its transaction")
        .hasSize(1);
  }

  @Test
  void progressTriggersBeyondTheWorkloadAreRejected() {
    assertThat(errorOf(HEAD + "  - { at: { events_applied: 501 }, kill: consumer }\n"))
        .isEqualTo(
            "scenarios/x.yaml:6:29: faults[0].at.events_applied: 501 may never be reached,"
                + " expected at most 500: the workload commits at least that many events (orders x"
                + " (1 + updates_per_order))");
  }

  @Test
  void triggersNeedExactlyOneCondition() {
    String msg =
        errorOf(
            HEAD
                + """
                  - { at: { after: 1s, events_applied: 3 }, kill: consumer }
                  - { kill: consumer }
                  - { at: { events_aplied: 3 }, kill: consumer }
                """);
    assertThat(msg.lines())
        .containsExactly(
            "scenarios/x.yaml:6:11: faults[0].at: found [after, events_applied], expected exactly"
                + " one of after, events_committed, events_published, events_applied, e.g. {"
                + " after: 3s } or { events_applied: 300 }",
            "scenarios/x.yaml:7:5: faults[1].at: missing required field 'at'",
            "scenarios/x.yaml:8:13: faults[2].at.events_aplied: unknown field 'events_aplied' in a"
                + " trigger, expected one of after, events_committed, events_published,"
                + " events_applied (did you mean 'events_applied'?)");
  }

  @Test
  void duplicateKeysAndYamlSyntaxErrorsArePositioned() {
    assertThat(errorOf("seed: 1\nseed: 2\nworkload: { orders: 10 }\n"))
        .isEqualTo("scenarios/x.yaml:2:1: seed: field given twice in one mapping");
    assertThat(errorOf("seed: 1\nworkload: { orders: 10\n"))
        .startsWith(
            "scenarios/x.yaml:3:1: not valid YAML: expected ',' or '}', but got <stream end>");
    assertThat(errorOf("")).isEqualTo("scenarios/x.yaml: empty file, expected a scenario mapping");
    assertThat(errorOf("- a\n- b\n"))
        .startsWith("scenarios/x.yaml:1:1: found a list, expected a mapping with fields name,");
  }

  @Test
  void anEmptyFaultListIsNoFaults() {
    assertThat(parse("seed: 1\nworkload: { orders: 1 }\nfaults:\n").faults()).isEmpty();
    assertThat(parse("seed: 1\nworkload: { orders: 1 }\nfaults: []\n").faults()).isEmpty();
  }

  @Test
  void oneDocumentPerFileAndNoTabs() {
    assertThat(errorOf("seed: 1\nworkload: { orders: 1 }\n---\nseed: 2\n"))
        .isEqualTo(
            "scenarios/x.yaml:4:1: a scenario file holds one YAML document, found a second one");
    assertThat(errorOf("seed: 1\nworkload:\n\torders: 1\n"))
        .startsWith("scenarios/x.yaml:3:1: not valid YAML: found character '\\t(TAB)'");
  }

  @Test
  void badNamesAreRejected() {
    assertThat(errorOf("name: Has Spaces\nseed: 1\nworkload: { orders: 1 }\n"))
        .startsWith("scenarios/x.yaml:1:7: name: 'Has Spaces' is not a valid scenario name");
  }

  @Test
  void theExceptionIsBadInputAndListsEveryProblem() {
    assertThatThrownBy(() -> parse("seed: x\nworkload: { orders: -1 }\n"))
        .isInstanceOf(BadInputException.class)
        .isInstanceOfSatisfying(
            ScenarioException.class,
            e ->
                assertThat(e.problems())
                    .extracting(ScenarioException.Problem::field)
                    .containsExactly("seed", "workload.orders"));
  }

  // ------------------------------------------------------------------ directories

  @Test
  void loadAllSortsByNameAndRejectsDuplicateNames(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), "name: zeta\nseed: 1\nworkload: { orders: 1 }\n");
    Files.writeString(dir.resolve("b.yml"), "name: alpha\nseed: 1\nworkload: { orders: 1 }\n");
    Files.writeString(dir.resolve("notes.txt"), "not a scenario");

    assertThat(ScenarioLoader.loadAll(dir))
        .extracting(Scenario::name)
        .containsExactly("alpha", "zeta");

    Files.writeString(dir.resolve("c.yaml"), "name: zeta\nseed: 2\nworkload: { orders: 1 }\n");
    Files.writeString(dir.resolve("d.yaml"), "seed: 2\nworkload: { orders: 0 }\n");
    assertThatThrownBy(() -> ScenarioLoader.loadAll(dir))
        .isInstanceOf(ScenarioException.class)
        .hasMessageContaining(
            dir.resolve("c.yaml")
                + ": name: duplicate scenario name 'zeta', also used by "
                + dir.resolve("a.yaml"))
        .hasMessageContaining(dir.resolve("d.yaml") + ":2:21: workload.orders: found 0");
  }

  @Test
  void aMissingDirectoryIsBadInput() {
    assertThatThrownBy(() -> ScenarioLoader.loadAll(Path.of("no/such/dir")))
        .isInstanceOf(ScenarioException.class)
        .hasMessage("no/such/dir: not a directory of scenario files");
  }

  @Test
  void writerKeepsPublishersAndNumberedPublisherTargets() {
    Scenario s =
        Scenario.of(
                "w",
                3,
                WorkloadSpec.of(3),
                List.of(
                    FaultSpec.of(
                        new Trigger.After(Duration.ofMillis(1500)),
                        new Fault.Crash(new Target.Publisher(2), "publisher.after-send"))))
            .withTopology(Topology.of(3, 5).withPublishers(2));

    String yaml = ScenarioWriter.toYaml(s);

    assertThat(yaml).contains("publishers: 2").contains("crash: publisher-2");
    assertThat(ScenarioLoader.parse(yaml, "w.yaml")).as(yaml).isEqualTo(s);
  }

  @Test
  void writerOmitsDefaultsAndKeepsEverythingElse() {
    Scenario s =
        Scenario.of(
                "w",
                -5,
                WorkloadSpec.of(3).withFractions(0.1, 0.0001, 1.0 / 3),
                List.of(
                    FaultSpec.of(
                        new Trigger.After(Duration.ofMillis(1500)),
                        new Fault.Kill(Target.Service.CONSUMER))))
            .withDescription("quotes \" and: colons\nand lines")
            .withVariant(Optional.of(Variant.DLQ_DROPS_BATCH))
            .withTopology(Topology.of(3, 5))
            .withExpect(new Expectations(EnumSet.of(Invariant.LIVENESS), Duration.ofMinutes(2)));

    String yaml = ScenarioWriter.toYaml(s);

    assertThat(yaml).contains("  - { at: { after: 1500ms }, kill: consumer }\n");
    assertThat(ScenarioLoader.parse(yaml, "w.yaml")).as(yaml).isEqualTo(s);
  }

  @Test
  void pipelinePicksThePipelineUnderTestInItsShortAndLongForms() {
    String base = "seed: 1\nworkload: { orders: 10 }\n";
    assertThat(parse(base + "pipeline: debezium\n").pipeline())
        .isEqualTo(new PipelineSettings(500, 2000, Optional.of("debezium"), java.util.Map.of()));
    PipelineSettings p =
        parse(
                base
                    + "pipeline: { under_test: debezium, publisher_batch: 50, exactly_once: true,"
                    + " offset_flush_ms: 1000 }\n")
            .pipeline();
    assertThat(p.underTest()).contains("debezium");
    assertThat(p.publisherBatch()).isEqualTo(50);
    assertThat(p.all())
        .containsEntry("exactly_once", "true")
        .containsEntry("offset_flush_ms", "1000")
        .containsEntry("consumer_batch", "2000");
    assertThat(parse(base + "pipeline: { consumer_batch: 10 }\n").pipeline().underTest())
        .as("batch sizes alone leave the pipeline to the command line")
        .isEmpty();
  }

  @Test
  void anUnknownPipelineOrABadSettingIsNamedWithItsLine() {
    String base = "seed: 1\nworkload: { orders: 10 }\n";
    assertThat(errorOf(base + "pipeline: debezum\n"))
        .contains("x.yaml:3:")
        .contains("unknown pipeline 'debezum'")
        .contains("did you mean 'debezium'?");
    assertThat(errorOf(base + "pipeline: { under_test: debezium, exactly_once: maybe }\n"))
        .contains("pipeline.exactly_once")
        .contains("expected true or false");
    assertThat(errorOf(base + "pipeline: { exactly_twice: true }\n"))
        .contains("pipeline.exactly_twice");
  }
}
