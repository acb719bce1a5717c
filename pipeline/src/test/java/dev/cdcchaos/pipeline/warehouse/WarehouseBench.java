package dev.cdcchaos.pipeline.warehouse;

import dev.cdcchaos.pipeline.BenchArgs;
import dev.cdcchaos.pipeline.event.OrderEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Batch apply throughput of the warehouse, no Kafka: {@code java ... WarehouseBench [events]
 * [batchSize] [orders] [seed]}. Events are creates then updates over {@code orders} orders, with 1%
 * redelivered copies, and the run prints one JSON line.
 */
public final class WarehouseBench {
  private WarehouseBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    int events = a.events();
    int batchSize = a.batchSize();
    int orders = a.orders();
    SplittableRandom rnd = new SplittableRandom(a.seed());
    Path dir = Files.createTempDirectory("wh-bench");
    long[] versions = new long[orders];
    long offset = 0;
    List<IncomingEvent> previous = List.of();
    long cpuStart = BenchArgs.cpuNanos();
    long start = System.nanoTime();
    long applied = 0;
    java.util.Map<Warehouse.Step, Long> steps;
    try (Warehouse wh = Warehouse.open(dir.resolve("bench.duckdb"))) {
      for (int done = 0; done < events; done += batchSize) {
        List<IncomingEvent> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
          if (!previous.isEmpty() && rnd.nextInt(100) == 0) {
            IncomingEvent copy = previous.get(rnd.nextInt(previous.size()));
            batch.add(new IncomingEvent(copy.event(), copy.topic(), 0, offset++));
            continue;
          }
          int order = rnd.nextInt(orders);
          long v = ++versions[order];
          OrderEvent e =
              TestEvents.event(
                  order, v, order % 1000, v == 1 ? "NEW" : "PAID", rnd.nextInt(10_000), Map.of());
          batch.add(new IncomingEvent(e, TestEvents.TOPIC, 0, offset++));
        }
        BatchResult r =
            wh.applyBatch(
                new WarehouseBatch(
                    batch, List.of(), List.of(new Checkpoint(TestEvents.TOPIC, 0, offset))));
        applied += r.applied();
        previous = batch;
      }
      steps = wh.stepMillis();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    double cpuSeconds = (BenchArgs.cpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        "{\"events\":%d,\"batch_size\":%d,\"orders\":%d,\"applied\":%d,\"seconds\":%.2f,"
            + "\"events_per_s\":%.0f,\"cpu_seconds\":%.2f,\"events_per_cpu_s\":%.0f,\"step_ms\":\"%s\"}%n",
        events,
        batchSize,
        orders,
        applied,
        seconds,
        events / seconds,
        cpuSeconds,
        events / cpuSeconds,
        steps);
  }
}
