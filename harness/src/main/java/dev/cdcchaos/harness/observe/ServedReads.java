package dev.cdcchaos.harness.observe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.cdcchaos.harness.check.Incarnations;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.OrderState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the serving warehouse the way an analyst's query reaches it while the consumer writes: the
 * harness's own SQL for {@code wh_orders}, {@code wh_customer_totals} and {@code wh_checkpoints},
 * sent to the consumer's read endpoint ({@code POST /query}, see {@code docs/pipeline-contract.md})
 * and run there in one read transaction.
 */
public final class ServedReads {

  /** One consistent read: the three tables as one transaction saw them. */
  public record Read(
      SortedMap<Integer, Long> checkpoints,
      List<OrderState> orders,
      List<CustomerTotal> totals,
      Map<String, SortedMap<Integer, Long>> incarnations) {

    /** A read of a topic that was never recreated. */
    public Read(
        SortedMap<Integer, Long> checkpoints, List<OrderState> orders, List<CustomerTotal> totals) {
      this(checkpoints, orders, totals, Map.of());
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ORDERS =
      "SELECT order_id, customer_id, status, total_cents, currency, version, deleted"
          + " FROM wh_orders ORDER BY order_id, version";
  private static final String TOTALS =
      "SELECT customer_id, order_count, revenue_cents FROM wh_customer_totals"
          + " ORDER BY customer_id";
  private static final String CHECKPOINTS =
      "SELECT kafka_partition, next_offset, topic FROM wh_checkpoints"
          + " WHERE topic = '%1$s' OR starts_with(topic, '%1$s"
          + Incarnations.SEPARATOR
          + "') ORDER BY topic, kafka_partition";

  private final byte[] request;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Reads of the warehouse fed from {@code topic} (its checkpoints are the ones read). */
  public ServedReads(String topic) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode statements = body.putArray("statements");
    statements.add(ORDERS);
    statements.add(TOTALS);
    statements.add(CHECKPOINTS.formatted(topic.replace("'", "''")));
    this.request = body.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * One read through the endpoint at {@code baseUrl}.
   *
   * @throws IOException when the endpoint does not answer, answers with an error, or answers
   *     something that is not the three tables
   */
  public Read read(String baseUrl) throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        http.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/query"))
                .timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofByteArray(request))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IOException(
          "HTTP "
              + response.statusCode()
              + " from "
              + baseUrl
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    try {
      JsonNode results = JSON.readTree(response.body()).get("results");
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
      SortedMap<Integer, Long> checkpoints = new TreeMap<>();
      Map<String, SortedMap<Integer, Long>> later = new TreeMap<>();
      for (JsonNode r : results.get(2).get("rows")) {
        String t = r.path(2).asText("");
        (Incarnations.isLater(t) ? later.computeIfAbsent(t, k -> new TreeMap<>()) : checkpoints)
            .put(r.get(0).asInt(), r.get(1).asLong());
      }
      return new Read(checkpoints, orders, totals, later);
    } catch (RuntimeException e) {
      throw new IOException("unreadable answer from " + baseUrl + ": " + e, e);
    }
  }
}
