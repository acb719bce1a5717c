package dev.cdcchaos.harness.bench;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The benchmark's pre-loaded outbox: {@code events} events over {@code orders} orders, in rounds
 * (every order's create, then every order's second version, ...), so each partition holds a mix of
 * orders and versions. Deterministic for a seed.
 */
final class BenchEvents {
  private BenchEvents() {}

  /** Event {@code i} of the catch-up load. */
  static OrderEvent event(long i, long orders, Instant at) {
    long orderId = i % orders + 1;
    long version = i / orders + 1;
    SplittableRandom r = new SplittableRandom(i);
    OrderRow row =
        new OrderRow(
            orderId,
            orderId % 997,
            version == 1 ? "NEW" : "PAID",
            100 + r.nextInt(100_000),
            "EUR",
            version,
            false);
    return new OrderEvent(
        new UUID(r.nextLong(), r.nextLong()).toString(),
        orderId + ":" + version,
        orderId,
        version == 1 ? EventType.ORDER_CREATED : EventType.ORDER_UPDATED,
        version,
        EventCodec.SCHEMA_VERSION,
        at,
        row,
        Map.of());
  }

  /** Events {@code from} (inclusive) to {@code to} (exclusive). */
  static Iterator<OrderEvent> range(long from, long to, long orders, Instant at) {
    return new Iterator<>() {
      long next = from;

      @Override
      public boolean hasNext() {
        return next < to;
      }

      @Override
      public OrderEvent next() {
        if (next >= to) {
          throw new NoSuchElementException();
        }
        return event(next++, orders, at);
      }
    };
  }
}
