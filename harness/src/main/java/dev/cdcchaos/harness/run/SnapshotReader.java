package dev.cdcchaos.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Snapshot;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.model.OrderState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDERS =
      "SELECT order_id, customer_id, status, total_cents, currency, version, deleted"
          + " FROM wh_orders ORDER BY order_id, version";
  private static final String TOTALS =
      "SELECT customer_id, order_count, revenue_cents FROM wh_customer_totals"
          + " ORDER BY customer_id";
  private static final String CHECKPOINTS =
      "SELECT kafka_partition, next_offset FROM wh_checkpoints WHERE topic = '%s'"
          + " ORDER BY kafka_partition";

  private final Supplier<Optional<String>> endpoint;
  private final Duration every;
  private final LongSupplier runNanos;
  private final History history;
  private final byte[] request;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
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
    ObjectNode body = JSON.createObjectNode();
    ArrayNode statements = body.putArray("statements");
    statements.add(ORDERS);
    statements.add(TOTALS);
    statements.add(CHECKPOINTS.formatted(topic.replace("'", "''")));
    this.request = body.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create(url.get() + "/query"))
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      long at = runNanos.getAsLong();
      if (response.statusCode() != 200) {
        failed("HTTP " + response.statusCode() + ": " + new String(response.body()));
        return;
      }
      record(at, JSON.readTree(response.body()).get("results"));
    } catch (IOException e) {
      failed(e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      failed("unreadable answer: " + e);
    }
  }

  private void record(long at, JsonNode results) {
    List<OrderState> orders = new ArrayList<>();
    for (JsonNode r : results.get(0).get("rows")) {
      orders.add(
          new OrderState(
              r.get(0).asLong(),
              r.get(1).asLong(),
              r.get(2).asText(),
              r.get(3).asLong(),
              r.get(4).asText(),
              r.get(5).asLong(),
              r.get(6).asBoolean()));
    }
    List<CustomerTotal> totals = new ArrayList<>();
    for (JsonNode r : results.get(1).get("rows")) {
      totals.add(new CustomerTotal(r.get(0).asLong(), r.get(1).asLong(), r.get(2).asLong()));
    }
    Map<Integer, Long> checkpoints = new TreeMap<>();
    for (JsonNode r : results.get(2).get("rows")) {
      checkpoints.put(r.get(0).asInt(), r.get(1).asLong());
    }
    Snapshot s;
    synchronized (this) {
      Snapshot previous = snapshots.isEmpty() ? null : snapshots.get(snapshots.size() - 1);
      // an unchanged state shares the previous snapshot's lists: a quiet warehouse costs nothing
      boolean same =
          previous != null
              && previous.checkpoints().equals(checkpoints)
              && previous.orders().equals(orders)
              && previous.totals().equals(totals);
      s =
          same
              ? new Snapshot(
                  snapshots.size(),
                  at,
                  previous.checkpoints(),
                  previous.orders(),
                  previous.totals())
              : new Snapshot(snapshots.size(), at, new TreeMap<>(checkpoints), orders, totals);
      snapshots.add(s);
      down = false;
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("index", s.index());
    note.put("checkpoints", s.checkpoints());
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
