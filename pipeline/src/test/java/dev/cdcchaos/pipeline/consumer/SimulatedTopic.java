package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.CustomerTotal;
import dev.cdcchaos.pipeline.warehouse.TestEvents;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * An in-memory Kafka topic and a consumer loop over it that drives a {@link BatchSink} the way
 * {@link ConsumerService} does (resume at the checkpoints, poll, process), for crash tests without
 * a broker. Also computes what a correct warehouse must hold.
 */
final class SimulatedTopic {
  final Map<Integer, List<RawRecord>> partitions = new TreeMap<>();
  final List<OrderEvent> events = new ArrayList<>();

  SimulatedTopic(int partitionCount) {
    for (int p = 0; p < partitionCount; p++) {
      partitions.put(p, new ArrayList<>());
    }
  }

  /** Appends an event to the partition of its order (order id mod partitions). */
  SimulatedTopic send(OrderEvent e) {
    events.add(e);
    return sendRaw((int) (e.orderId() % partitions.size()), EventCodec.encode(e));
  }

  SimulatedTopic sendRaw(int partition, byte[] value) {
    List<RawRecord> log = partitions.get(partition);
    long offset = log.size();
    log.add(
        new RawRecord(
            TestEvents.TOPIC,
            partition,
            offset,
            TestEvents.T0.toEpochMilli() + offset,
            ("k" + offset).getBytes(StandardCharsets.UTF_8),
            value,
            Map.of()));
    return this;
  }

  long size() {
    return partitions.values().stream().mapToLong(List::size).sum();
  }

  /**
   * Runs a consumer until every partition is read to its end: resume, then batches of up to {@code
   * perPartition} records from each partition. Returns the number of batches.
   */
  int drain(BatchSink sink, int perPartition) {
    Map<Integer, OptionalLong> resume = sink.resume(TestEvents.TOPIC, partitions.keySet());
    Map<Integer, Long> position = new HashMap<>();
    resume.forEach((p, o) -> position.put(p, o.orElse(0L)));
    int batches = 0;
    while (true) {
      List<RawRecord> batch = new ArrayList<>();
      for (Map.Entry<Integer, List<RawRecord>> e : partitions.entrySet()) {
        List<RawRecord> log = e.getValue();
        long from = position.get(e.getKey());
        long to = Math.min(log.size(), from + perPartition);
        for (long o = from; o < to; o++) {
          batch.add(log.get((int) o));
        }
        position.put(e.getKey(), Math.max(from, to));
      }
      if (batch.isEmpty()) {
        return batches;
      }
      sink.process(batch, next -> {});
      batches++;
    }
  }

  /** Highest version per order over every valid event sent. */
  Collection<OrderRow> expectedOrders() {
    Map<Long, OrderRow> fold = new TreeMap<>();
    for (OrderEvent e : events) {
      fold.merge(e.orderId(), e.state(), (a, b) -> a.version() >= b.version() ? a : b);
    }
    return fold.values();
  }

  /** Customer totals recomputed from {@link #expectedOrders()}. */
  List<CustomerTotal> expectedTotals() {
    Map<Long, long[]> t = new TreeMap<>();
    for (OrderRow r : expectedOrders()) {
      if (!r.deleted()) {
        long[] v = t.computeIfAbsent(r.customerId(), k -> new long[2]);
        v[0]++;
        v[1] += r.revenueCents();
      }
    }
    List<CustomerTotal> out = new ArrayList<>();
    t.forEach((c, v) -> out.add(new CustomerTotal(c, v[0], v[1])));
    return out;
  }

  /** Distinct event ids sent. */
  long distinctEvents() {
    return events.stream().map(OrderEvent::eventId).distinct().count();
  }
}
