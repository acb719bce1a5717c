package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.BenchArgs;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import dev.cdcchaos.pipeline.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The consumer's work per batch without Kafka (decode, lake, warehouse): {@code java ... SinkBench
 * [events] [batchSize] [orders] [seed]}. Prints one JSON line with wall and CPU throughput and the
 * warehouse's time per step; the lake's and decoding's share is the rest.
 */
public final class SinkBench {
  private SinkBench() {}

  public static void main(String[] args) throws Exception {
    BenchArgs a = BenchArgs.parse(args);
    int events = a.events();
    int batchSize = a.batchSize();
    int orders = a.orders();
    SplittableRandom rnd = new SplittableRandom(a.seed());
    Path dir = Files.createTempDirectory("sink-bench");
    long[] versions = new long[orders];
    long[] offsets = new long[3];
    long cpuStart = BenchArgs.cpuNanos();
    long start = System.nanoTime();
    long generateNanos = 0;
    Map<Warehouse.Step, Long> steps;
    Map<String, Long> phases;
    try (BatchSink sink =
        BatchSink.open(
            dir.resolve("wh.duckdb"),
            dir.resolve("lake"),
            SinkStrategies.correct(),
            CrashPoints.NONE,
            Clock.systemUTC())) {
      for (int done = 0; done < events; done += batchSize) {
        long g = System.nanoTime();
        List<RawRecord> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
          int order = rnd.nextInt(orders);
          long v = ++versions[order];
          dev.cdcchaos.pipeline.event.OrderEvent event =
              TestEvents.event(
                  order, v, order % 1000, v == 1 ? "NEW" : "PAID", rnd.nextInt(10_000), Map.of());
          byte[] value = EventCodec.encode(event);
          // the headers the publisher sets on every record
          Map<String, String> headers =
              Map.of(
                  "event-id", event.eventId(),
                  "event-type", event.type().name(),
                  "version", Long.toString(v),
                  "schema-version", "1");
          int p = order % 3;
          batch.add(
              new RawRecord(
                  TestEvents.TOPIC,
                  p,
                  offsets[p]++,
                  System.currentTimeMillis(),
                  Long.toString(order).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                  value,
                  headers));
        }
        generateNanos += System.nanoTime() - g;
        sink.process(batch, next -> {});
      }
      steps = sink.warehouse().stepMillis();
      phases = sink.phaseMillis();
    }
    double seconds = (System.nanoTime() - start - generateNanos) / 1e9;
    double cpu = (BenchArgs.cpuNanos() - cpuStart) / 1e9;
    System.out.printf(
        "{\"events\":%d,\"batch_size\":%d,\"orders\":%d,\"seconds\":%.2f,\"events_per_s\":%.0f,"
            + "\"cpu_seconds_incl_generation\":%.2f,\"phase_ms\":\"%s\",\"warehouse_step_ms\":\"%s\"}%n",
        events, batchSize, orders, seconds, events / seconds, cpu, phases, steps);
  }
}
