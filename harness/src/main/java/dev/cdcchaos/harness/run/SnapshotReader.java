package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Snapshot;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.observe.ServedReads;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Reads the serving warehouse at a steady rate while the run goes, as an analyst's dashboard would:
 * {@code wh_orders}, {@code wh_customer_totals} and {@code wh_checkpoints} in one read transaction
 * through the consumer's read endpoint. The SQL is the harness's own; the pipeline only runs it.
 * Each snapshot is kept for the checkers and noted in the history (time, checkpoints, digest, row
 * count); reads that fail (the consumer is down or restarting) are counted, and noted once per
 * outage.
 */
final class SnapshotReader implements AutoCloseable {
  static final Duration DEFAULT_EVERY = Duration.ofMillis(250);

  private final Supplier<Optional<String>> endpoint;
  private final Duration every;
  private final LongSupplier runNanos;
  private final History history;
  private final ServedReads reads;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "snapshot-reader");
            t.setDaemon(true);
            return t;
          });
  private final List<Snapshot> snapshots = new ArrayList<>();
  private long attempts;
  private long failures;
  private boolean down;

  /**
   * @param endpoint the read endpoint's base URL while the consumer serves one
   * @param topic the run's topic (its checkpoints are read)
   * @param every the time between two reads
   * @param runNanos the history's clock
   */
  SnapshotReader(
      Supplier<Optional<String>> endpoint,
      String topic,
      Duration every,
      LongSupplier runNanos,
      History history) {
    this.endpoint = endpoint;
    this.every = every;
    this.runNanos = runNanos;
    this.history = history;
    this.reads = new ServedReads(topic);
  }

  void start() {
    timer.scheduleWithFixedDelay(this::readOnce, 0, every.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops reading; the snapshots taken so far stay. */
  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  synchronized List<Snapshot> snapshots() {
    return List.copyOf(snapshots);
  }

  /** Reads attempted, and how many of them failed. */
  synchronized long[] attempts() {
    return new long[] {attempts, failures};
  }

  private void readOnce() {
    Optional<String> url = endpoint.get();
    synchronized (this) {
      attempts++;
    }
    if (url.isEmpty()) {
      failed("the consumer serves no reads now (down or starting)");
      return;
    }
    try {
      ServedReads.Read read = reads.read(url.get());
      record(runNanos.getAsLong(), read);
    } catch (IOException e) {
      failed(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // a scheduled task that throws is never run again: count it and read on
      failed("the read failed: " + e);
    }
  }

  private void record(long at, ServedReads.Read read) {
    List<OrderState> orders = read.orders();
    List<CustomerTotal> totals = read.totals();
    Map<Integer, Long> checkpoints = read.checkpoints();
    Snapshot s;
    synchronized (this) {
      Snapshot previous = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
      // an unchanged state shares the previous snapshot's lists: a quiet warehouse costs nothing
      boolean same =
          previous != null
              && previous.checkpoints().equals(checkpoints)
              && previous.incarnations().equals(read.incarnations())
              && previous.orders().equals(orders)
              && previous.totals().equals(totals);
      s =
          same
              ? new Snapshot(
                  snapshots.size(),
                  at,
                  previous.checkpoints(),
                  previous.orders(),
                  previous.totals(),
                  previous.incarnations())
              : new Snapshot(
                  snapshots.size(),
                  at,
                  new TreeMap<>(checkpoints),
                  orders,
                  totals,
                  read.incarnations());
      snapshots.add(s);
      down = false;
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("index", s.index());
    note.put("checkpoints", s.checkpoints());
    if (!s.incarnations().isEmpty()) {
      note.put("later incarnations", s.incarnations());
    }
    note.put("orders", s.orders().size());
    note.put("digest", s.digest());
    history.note("reader", "snapshot", note);
  }

  private void failed(String why) {
    boolean first;
    synchronized (this) {
      failures++;
      first = !down;
      down = true;
    }
    if (first) {
      history.note("reader", "unavailable", Map.of("error", why));
    }
  }
}
