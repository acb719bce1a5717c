package dev.cdcchaos.pipeline.warehouse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The serving warehouse's read path while the consumer writes it: DuckDB allows one process per
 * database file, so an analyst's query (or the harness's snapshot reader) reaches the tables
 * through this small loopback endpoint, on a connection of its own beside the writer's.
 *
 * <p>{@code POST /query} with {@code {"statements": ["SELECT ...", ...]}} runs the statements in
 * one read transaction, so they all see one committed state (DuckDB's MVCC: never half a batch),
 * and answers {@code {"results": [{"columns": [...], "rows": [[...], ...]}, ...]}}. Only {@code
 * SELECT} and {@code WITH} statements are accepted; anything else is refused with 400, a failing
 * statement answers 500 with DuckDB's message. One request at a time: the reading connection is not
 * shared between threads.
 */
public final class ReadEndpoint implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService thread;
  private final Connections connections;

  /**
   * Where a read gets its connection and gives it back: the correct consumer's endpoint keeps one
   * reading connection beside the writer's for its life; the known-bad variant {@code
   * unfenced-stale-checkpoint}, which holds the warehouse only while it works, opens it for each
   * read.
   */
  public interface Connections extends AutoCloseable {
    /** A connection for one read. */
    Connection take() throws SQLException;

    /** Gives back what {@link #take()} returned, after the read. */
    void give(Connection connection);

    @Override
    void close();
  }

  private ReadEndpoint(HttpServer server, ExecutorService thread, Connections connections) {
    this.server = server;
    this.thread = thread;
    this.connections = connections;
  }

  /** Serves reads of {@code warehouse} on a free loopback port, on a connection of its own. */
  public static ReadEndpoint start(Warehouse warehouse) {
    Connection reader = warehouse.readerConnection();
    return start(
        new Connections() {
          @Override
          public Connection take() {
            return reader;
          }

          @Override
          public void give(Connection connection) {
            // kept for the next read
          }

          @Override
          public void close() {
            try {
              reader.close();
            } catch (SQLException ignored) {
              // closing a reader: nothing to keep
            }
          }
        });
  }

  /** Serves reads on a free loopback port, each on a connection {@code reader} gives. */
  public static ReadEndpoint start(Connections reader) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      ExecutorService thread =
          Executors.newSingleThreadExecutor(
              r -> {
                Thread t = new Thread(r, "warehouse-reads");
                t.setDaemon(true);
                return t;
              });
      ReadEndpoint endpoint = new ReadEndpoint(server, thread, reader);
      server.createContext("/query", endpoint::handle);
      server.setExecutor(thread);
      server.start();
      return endpoint;
    } catch (IOException | RuntimeException e) {
      reader.close();
      throw new WarehouseException("cannot serve warehouse reads: " + e.getMessage(), e);
    }
  }

  /** The endpoint's base URL, e.g. {@code http://127.0.0.1:40123}. */
  public String url() {
    return "http://"
        + server.getAddress().getAddress().getHostAddress()
        + ":"
        + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        respond(exchange, 405, error("POST a JSON body {\"statements\": [\"SELECT ...\"]}"));
        return;
      }
      List<String> statements = new ArrayList<>();
      try {
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        JsonNode list = body == null ? null : body.get("statements");
        if (list == null || !list.isArray() || list.isEmpty()) {
          respond(exchange, 400, error("the body needs a non-empty array 'statements'"));
          return;
        }
        for (JsonNode s : list) {
          String sql = s.asText("").strip();
          String head = sql.toUpperCase(Locale.ROOT);
          if (!head.startsWith("SELECT") && !head.startsWith("WITH")) {
            respond(exchange, 400, error("only SELECT or WITH statements are served: " + sql));
            return;
          }
          statements.add(sql);
        }
      } catch (IOException e) {
        respond(exchange, 400, error("the body is not JSON: " + e.getMessage()));
        return;
      }
      byte[] answer;
      try {
        answer = JSON.writeValueAsBytes(query(statements));
      } catch (SQLException e) {
        respond(exchange, 500, error(e.getMessage()));
        return;
      }
      respond(exchange, 200, answer);
    }
  }

  /** Runs the statements in one read transaction. */
  private ObjectNode query(List<String> statements) throws SQLException {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode results = out.putArray("results");
    Connection connection = connections.take();
    try {
      connection.setAutoCommit(false);
      try (Statement st = connection.createStatement()) {
        for (String sql : statements) {
          try (ResultSet rs = st.executeQuery(sql)) {
            results.add(table(rs));
          }
        }
        connection.commit();
      } catch (SQLException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } finally {
      connections.give(connection);
    }
    return out;
  }

  private static ObjectNode table(ResultSet rs) throws SQLException {
    ObjectNode t = JSON.createObjectNode();
    ResultSetMetaData md = rs.getMetaData();
    int n = md.getColumnCount();
    ArrayNode columns = t.putArray("columns");
    for (int i = 1; i <= n; i++) {
      columns.add(md.getColumnLabel(i));
    }
    ArrayNode rows = t.putArray("rows");
    while (rs.next()) {
      ArrayNode row = rows.addArray();
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        if (v == null) {
          row.addNull();
        } else if (v instanceof Long l) {
          row.add(l);
        } else if (v instanceof Integer x) {
          row.add(x);
        } else if (v instanceof Boolean b) {
          row.add(b);
        } else if (v instanceof Number num) {
          row.add(num.toString());
        } else {
          row.add(v.toString());
        }
      }
    }
    return t;
  }

  private static byte[] error(String message) {
    ObjectNode e = JSON.createObjectNode();
    e.put("error", message == null ? "" : message);
    return e.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** Stops serving and closes the reading connection. */
  @Override
  public void close() {
    server.stop(0);
    thread.shutdownNow();
    connections.close();
  }
}
