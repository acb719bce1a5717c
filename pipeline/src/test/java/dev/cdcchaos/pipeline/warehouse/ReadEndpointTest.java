package dev.cdcchaos.pipeline.warehouse;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.batch;
import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The warehouse's read path beside the writer: one read transaction per request. */
class ReadEndpointTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<String> post(ReadEndpoint reads, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(reads.url() + "/query"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void answersEveryStatementOfARequestFromOneCommittedState() throws Exception {
    try (Warehouse wh = Warehouse.open(dir.resolve("wh.duckdb"));
        ReadEndpoint reads = ReadEndpoint.start(wh)) {
      wh.applyBatch(batch(0, event(1, 1, "NEW", 500), event(2, 1, "NEW", 700)));
      HttpResponse<String> r =
          post(
              reads,
              "{\"statements\": [\"SELECT order_id, status, total_cents, deleted FROM wh_orders"
                  + " ORDER BY order_id\", \"SELECT kafka_partition, next_offset FROM"
                  + " wh_checkpoints\"]}");
      assertThat(r.statusCode()).isEqualTo(200);
      JsonNode results = JSON.readTree(r.body()).get("results");
      assertThat(results.get(0).get("columns").toString())
          .isEqualTo("[\"order_id\",\"status\",\"total_cents\",\"deleted\"]");
      assertThat(results.get(0).get("rows").toString())
          .isEqualTo("[[1,\"NEW\",500,false],[2,\"NEW\",700,false]]");
      assertThat(results.get(1).get("rows").toString()).isEqualTo("[[0,2]]");
    }
  }

  @Test
  void readsWhileTheWriterCommitsNeverSeeHalfABatch() throws Exception {
    try (Warehouse wh = Warehouse.open(dir.resolve("wh.duckdb"));
        ReadEndpoint reads = ReadEndpoint.start(wh)) {
      AtomicBoolean done = new AtomicBoolean();
      Thread writer =
          new Thread(
              () -> {
                for (int b = 0; b < 60; b++) {
                  // each batch adds two orders and moves the checkpoint by 2
                  wh.applyBatch(
                      batch(
                          2L * b, event(2L * b + 1, 1, "NEW", 1), event(2L * b + 2, 1, "NEW", 1)));
                }
                done.set(true);
              });
      writer.start();
      int reads_ = 0;
      while (!done.get() || reads_ < 5) {
        JsonNode results =
            JSON.readTree(
                    post(
                            reads,
                            "{\"statements\": [\"SELECT count(*) FROM wh_orders\","
                                + " \"SELECT coalesce(max(next_offset), 0) FROM wh_checkpoints\"]}")
                        .body())
                .get("results");
        long orders = results.get(0).get("rows").get(0).get(0).asLong();
        long checkpoint = results.get(1).get("rows").get(0).get(0).asLong();
        assertThat(orders).as("rows and checkpoint from one state").isEqualTo(checkpoint);
        reads_++;
      }
      writer.join();
    }
  }

  @Test
  void refusesAnythingButReads() throws Exception {
    try (Warehouse wh = Warehouse.open(dir.resolve("wh.duckdb"));
        ReadEndpoint reads = ReadEndpoint.start(wh)) {
      HttpResponse<String> r = post(reads, "{\"statements\": [\"DELETE FROM wh_orders\"]}");
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(r.body()).contains("only SELECT or WITH");
      assertThat(post(reads, "not json").statusCode()).isEqualTo(400);
      HttpResponse<String> bad = post(reads, "{\"statements\": [\"SELECT * FROM no_such\"]}");
      assertThat(bad.statusCode()).isEqualTo(500);
      assertThat(bad.body()).contains("no_such");
    }
  }
}
