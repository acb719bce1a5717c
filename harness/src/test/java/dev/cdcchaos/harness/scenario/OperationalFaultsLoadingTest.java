package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.fault.Fault;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Bad input for the fault kinds of issue 11 (the good input is in {@link ScenarioLoaderTest}'s
 * table): each mistake is named with its line, column and field, says what was found and what was
 * expected, and a kind that must outlast a timeout names the timeout.
 */
class OperationalFaultsLoadingTest {

  private static final String FILE = "scenarios/ops.yaml";

  private static String file(String topology, String fault) {
    return "name: ops\nseed: 1\n"
        + topology
        + "workload: { orders: 100, updates_per_order: 4, writers: 3 }\n"
        + "faults:\n  - "
        + fault
        + "\n";
  }

  private static String problems(String topology, String fault) {
    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> ScenarioLoader.parse(file(topology, fault), FILE));
    assertThat(t).as("%s must be rejected", fault).isInstanceOf(ScenarioException.class);
    return t.getMessage();
  }

  @Test
  void resetOffsetsTakesEarliestLatestOrADuration() {
    assertThat(problems("", "{ at: 1s, reset-offsets: oldest }"))
        .contains("ops.yaml:5:")
        .contains("faults[0].reset-offsets: found 'oldest', expected earliest, latest, or a")
        .contains("--by-duration");
    assertThat(problems("", "{ at: 1s, reset-offsets: 2h }"))
        .contains("faults[0].reset-offsets: found 2h, out of range");
    assertThat(problems("", "{ at: 1s, reset-offsets: earliest, for: 2s }"))
        .contains("faults[0].for: 'reset-offsets' is a one-off action and takes no duration");
  }

  @Test
  void recreateTopicAndZombieConsumerNameTheirOnlyValue() {
    assertThat(problems("", "{ at: 1s, recreate-topic: live }"))
        .contains("faults[0].recreate-topic: unknown way to recreate the topic 'live'")
        .contains("expected one of drained");
    assertThat(problems("", "{ at: 1s, zombie-consumer: publisher, for: 8s }"))
        .contains("faults[0].zombie-consumer: unknown process to pause and double 'publisher'")
        .contains("expected one of consumer");
  }

  @Test
  void recreateTopicIsADrainedOneOffAction() {
    Scenario s =
        ScenarioLoader.parse(
            file("", "{ at: { events_applied: 100 }, recreate-topic: drained }"), FILE);
    assertThat(s.faults().get(0).fault())
        .as("recreate-topic: drained loads as the fault kind")
        .isInstanceOf(Fault.RecreateTopic.class);
    assertThat(problems("", "{ at: 1s, recreate-topic: drained, for: 2s }"))
        .as("a recreation happens once; it has nothing to heal")
        .contains("faults[0].for: 'recreate-topic' is a one-off action and takes no duration");
    assertThat(problems("", "{ at: 1s, recreate-topic: 3 }"))
        .contains("faults[0].recreate-topic: unknown way to recreate the topic '3'");
  }

  @Test
  void theShippedRecreateTopicScenarioLoads() {
    java.nio.file.Path file =
        java.nio.file.Path.of("..", "scenarios", "recreate-topic-mid-run.yaml");
    Scenario s = ScenarioLoader.load(file);
    assertThat(s.faults())
        .as("the file recreates the topic, then kills the consumer while it reads the new one")
        .extracting(f -> f.fault().kind().key())
        .containsExactly("recreate-topic", "kill");
  }

  @Test
  void aZombieMustOutlastAGroupSession() {
    assertThat(problems("", "{ at: 1s, zombie-consumer: consumer }"))
        .contains("faults[0].for: missing required field 'for'")
        .contains("session.timeout.ms");
    assertThat(problems("", "{ at: 1s, zombie-consumer: consumer, for: 3s }"))
        .contains("faults[0].for: found 3s, too short");
  }

  @Test
  void ddlNamesItsChanges() {
    assertThat(problems("", "{ at: 1s, ddl: add-colum }"))
        .contains("faults[0].ddl: unknown schema change 'add-colum'")
        .contains("expected one of add-column, widen-type")
        .contains("did you mean 'add-column'?");
  }

  @Test
  void clockSkewNeedsADirectionAndAWriterTheWorkloadHas() {
    assertThat(problems("", "{ at: 1s, clock-skew: sideways, for: 1s }"))
        .contains("faults[0].clock-skew: unknown clock jump 'sideways'")
        .contains("expected one of forward, backward");
    assertThat(problems("", "{ at: 1s, clock-skew: forward, writer: 3, for: 1s }"))
        .contains("faults[0].writer: found 3, out of range")
        .contains("the workload has 3, numbered from 0");
  }

  @Test
  void diskFullNamesTheStores() {
    assertThat(problems("", "{ at: 1s, disk-full: wal }"))
        .contains("faults[0].disk-full: unknown store 'wal', expected one of lake, warehouse");
  }

  @Test
  void aLongOutageMustOutlastTheLinksLongestClientTimeout() {
    assertThat(problems("", "{ at: 1s, long-outage: publisher->kafka, for: 10s }"))
        .contains("faults[0].for: found 10s, too short")
        .contains("the producer's delivery.timeout.ms (30s)");
    assertThat(problems("", "{ at: 1s, long-outage: writer->postgres }"))
        .contains("missing required field 'for'")
        .contains("the JDBC socketTimeout");
    assertThat(problems("", "{ at: 1s, long-outage: writer->pg, for: 40s }"))
        .contains("faults[0].long-outage: unknown link 'writer->pg'");
  }

  @Test
  void aLongPauseNeedsASecondPublisherAndOutlastsTheLeases() {
    assertThat(problems("", "{ at: 1s, long-pause: publisher, for: 40s }"))
        .contains("faults[0].long-pause: a long-pause freezes one publisher while another runs")
        .contains("set topology.publishers to 2 or more");
    String two = "topology: { publishers: 2 }\n";
    assertThat(problems(two, "{ at: 1s, long-pause: publisher-3, for: 40s }"))
        .contains("unknown target 'publisher-3' (the topology has 2 publishers");
    assertThat(problems(two, "{ at: 1s, long-pause: consumer, for: 40s }"))
        .contains("unknown publisher 'consumer', expected one of publisher, publisher-2");
    assertThat(problems(two, "{ at: 1s, long-pause: publisher-2, for: 20s }"))
        .contains("faults[0].for: found 20s, too short")
        .contains("claim lease (idle_in_transaction_session_timeout) (35s)");
    assertThat(problems(two, "{ at: 1s, long-pause: publisher-2, for: 35s }"))
        .as("as long as the lease is not longer than it")
        .contains("faults[0].for: found 35s, too short");
    Scenario ok =
        ScenarioLoader.parse(file(two, "{ at: 1s, long-pause: publisher, for: 40s }"), FILE);
    assertThat(ok.faults().get(0).fault()).isInstanceOf(Fault.LongPause.class);
    assertThat(ok.faults().get(0).duration()).contains(Duration.ofSeconds(40));
  }

  @Test
  void anUncleanElectionNeedsThreeBrokersAndALaggingReplica() {
    assertThat(problems("", "{ at: 1s, unclean-leader-election: 0, for: 2s }"))
        .contains("faults[0].unclean-leader-election: an unclean leader election needs a lagging")
        .contains("found 1 broker(s) and replication factor 1");
    String three = "topology: { brokers: 3, partitions: 2, replication_factor: 2 }\n";
    assertThat(problems(three, "{ at: 1s, unclean-leader-election: 2, for: 2s }"))
        .contains("faults[0].unclean-leader-election: found 2, out of range")
        .contains("it has 2, numbered from 0");
    assertThat(problems(three, "{ at: 1s, unclean-leader-election: 0 }"))
        .contains("faults[0].for: missing required field 'for'");
  }

  @Test
  void anExpectedVerdictIsValidOrInvalid() {
    assertThat(
            ScenarioLoader.parse(
                    "seed: 1\nworkload: { orders: 10 }\nexpect: { verdict: invalid }\n", "x.yaml")
                .expect()
                .expectsInvalid())
        .isTrue();
    assertThatThrownBy(
            () ->
                ScenarioLoader.parse(
                    "seed: 1\nworkload: { orders: 10 }\nexpect: { verdict: unknown }\n", "x.yaml"))
        .hasMessageContaining("x.yaml:3:")
        .hasMessageContaining("expect.verdict: unknown expected verdict 'unknown'")
        .hasMessageContaining("expected one of valid, invalid");
  }
}
