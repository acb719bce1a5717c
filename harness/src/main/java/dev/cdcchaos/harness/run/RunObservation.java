package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.observe.Observer;
import dev.cdcchaos.pipeline.replay.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The observation phase of a run, once the pipeline stopped: everything the checkers judge is read
 * by the harness's own code ({@link Observer}); the one thing asked of the pipeline is its replay,
 * a feature under test, which rebuilds fresh warehouse files from the lake and from Kafka that the
 * harness then reads by SQL like any other warehouse.
 */
final class RunObservation {

  private RunObservation() {}

  /**
   * What the run knows when it stops.
   *
   * @param work the run's work folder: {@code warehouse.duckdb}, {@code lake/}, and where the
   *     rebuilt warehouses go
   * @param trail every checkpoint value sampled during the run
   * @param replay whether the pipeline declares a replay (else replay-equivalent does not apply)
   * @param replayFromKafka whether to rebuild a warehouse from Kafka offset 0 too
   */
  record Inputs(
      DataSource source,
      String database,
      String bootstrap,
      String topic,
      Path work,
      List<Checkpoint> trail,
      List<Op> history,
      boolean drained,
      Optional<Duration> convergeTime,
      Duration convergeBound,
      boolean replay,
      boolean replayFromKafka,
      List<KafkaRecord> injectedPoison,
      List<dev.cdcchaos.harness.check.Snapshot> snapshots) {}

  static Observation observe(Inputs in) {
    Path lakeRoot = in.work().resolve("lake");
    Path warehouse = in.work().resolve("warehouse.duckdb");
    if (!java.nio.file.Files.isRegularFile(warehouse)) {
      // the oracle cannot reach the pipeline's warehouse: the pipeline did not meet the contract
      throw new dev.cdcchaos.harness.BadInputException(
          "the consumer wrote no warehouse at "
              + warehouse
              + " (warehouse.path in its settings file, docs/pipeline-contract.md); see "
              + in.work().resolve("consumer.log"));
    }
    Observation.Builder obs =
        Observer.observe(
            new Observer.Sources(
                in.database(),
                in.source(),
                in.bootstrap(),
                in.topic(),
                in.work().resolve("warehouse.duckdb"),
                lakeRoot,
                in.injectedPoison()));
    if (in.replay()) {
      Path fromLake = in.work().resolve("replay-lake.duckdb");
      Replay.fromLake(lakeRoot, fromLake);
      obs.replayFromLake(Observer.rebuiltOrders(fromLake));
    }
    if (in.replay() && in.replayFromKafka()) {
      Path fromKafka = in.work().resolve("replay-kafka.duckdb");
      Replay.fromKafka(in.bootstrap(), in.topic(), fromKafka);
      obs.replayFromKafka(Observer.rebuiltOrders(fromKafka));
    }
    obs.checkpointTrail(in.trail())
        .snapshots(in.snapshots())
        .history(in.history())
        .drained(in.drained())
        .convergeBound(in.convergeBound());
    in.convergeTime().ifPresent(obs::convergeTime);
    return obs.build();
  }
}
