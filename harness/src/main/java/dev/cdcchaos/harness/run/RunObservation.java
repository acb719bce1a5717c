package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.observe.Observer;
import dev.cdcchaos.pipeline.replay.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
      List<dev.cdcchaos.harness.check.Snapshot> snapshots,
      Observer.EarlierIncarnations earlier) {}

  static Observation observe(Inputs in) {
    Path lakeRoot = in.work().resolve("lake");
    Path warehouse = RunContext.warehouseFile(in.work());
    if (!java.nio.file.Files.isRegularFile(warehouse)) {
      // the oracle cannot reach the pipeline's warehouse: the pipeline did not meet the contract
      throw new dev.cdcchaos.harness.BadInputException(
          "the consumer wrote no warehouse at "
              + warehouse
              + " (warehouse.path in its settings file, docs/pipeline-contract.md); see "
              + in.work().resolve("consumer.log"));
    }
    // The three reads are independent (the pipeline's own files, and two fresh warehouses its
    // replay rebuilds), and each spends much of its time waiting on Kafka, DuckDB or the disk, so
    // they run side by side: the observation phase was the second slowest of a run (bench
    // --verification). Six runs each of two files, alternating, at load 15-19: observation
    // 3.2-11.7 s (median 6.9) side by side, 5.0-12.5 s (median 9.0) one after the other.
    ExecutorService pool =
        Executors.newFixedThreadPool(
            3,
            r -> {
              Thread t = new Thread(r, "observation");
              t.setDaemon(true);
              return t;
            });
    try {
      Future<Observation.Builder> observed =
          pool.submit(
              () ->
                  Observer.observe(
                      new Observer.Sources(
                          in.database(),
                          in.source(),
                          in.bootstrap(),
                          in.topic(),
                          warehouse,
                          lakeRoot,
                          in.injectedPoison(),
                          in.earlier())));
      Future<Map<Long, OrderState>> fromLake =
          in.replay()
              ? pool.submit(
                  () -> {
                    Path rebuilt = in.work().resolve("replay-lake.duckdb");
                    Replay.fromLake(lakeRoot, rebuilt);
                    return Observer.rebuiltOrders(rebuilt);
                  })
              : null;
      Future<Map<Long, OrderState>> fromKafka =
          in.replay() && in.replayFromKafka()
              ? pool.submit(
                  () -> {
                    Path rebuilt = in.work().resolve("replay-kafka.duckdb");
                    Replay.fromKafka(in.bootstrap(), in.topic(), rebuilt);
                    return Observer.rebuiltOrders(rebuilt);
                  })
              : null;
      Observation.Builder obs = await(observed);
      if (fromLake != null) {
        obs.replayFromLake(await(fromLake));
      }
      if (fromKafka != null) {
        obs.replayFromKafka(await(fromKafka));
      }
      return finish(obs, in);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Observation finish(Observation.Builder obs, Inputs in) {
    obs.checkpointTrail(in.trail())
        .snapshots(in.snapshots())
        .history(in.history())
        .drained(in.drained())
        .convergeBound(in.convergeBound());
    in.convergeTime().ifPresent(obs::convergeTime);
    return obs.build();
  }

  /** The task's value; its failure rethrown as it was thrown, so bad input stays bad input. */
  private static <T> T await(Future<T> task) {
    try {
      return task.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while observing the run", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }
}
