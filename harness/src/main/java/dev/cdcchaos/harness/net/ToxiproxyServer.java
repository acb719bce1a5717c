package dev.cdcchaos.harness.net;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-JVM server that speaks the Toxiproxy HTTP API (as toxiproxy-java uses it) and proxies TCP
 * with Toxiproxy's toxics, so {@code local} mode needs neither Docker nor the Go binary. The API
 * listens on 127.0.0.1 only. Randomness (jitter, slicer sizes, toxicity) comes from one seed.
 *
 * <p>Differences from Toxiproxy 2.x, on purpose: an empty listen host binds loopback instead of
 * every interface; {@code reset_peer} resets with RST also on connections that were open before the
 * toxic was added; toxicity is drawn once per connection and toxic, not again whenever the chain
 * changes; removing a {@code timeout} toxic closes only the connections it applied to.
 *
 * <p>One addition: {@code GET /counters} answers what every proxy did since it was created
 * (connections, bytes each way, connections closed by a disable, and per toxic the bytes it dropped
 * or held back and the connections it cut, reset or closed slowly; see {@link LinkCounters}). Real
 * Toxiproxy answers 404 there, which {@link Links#counters} reads as "no counters".
 */
public final class ToxiproxyServer implements AutoCloseable {
  /** The Toxiproxy release whose API and toxics this server follows. */
  public static final String VERSION = "2.12.0";

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // The JDK server writes headers and body in two segments; with Nagle on, each response waits
    // for the client's delayed ACK (~40 ms per API call). Read once, before the first HttpServer.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final HttpServer http;
  private final ExecutorService executor;
  private final SplittableRandom random;
  private final Map<String, ProxyInstance> proxies = new LinkedHashMap<>();
  private boolean closed;

  private ToxiproxyServer(long seed) throws IOException {
    this(seed, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
  }

  private ToxiproxyServer(long seed, InetSocketAddress bind) throws IOException {
    this.random = new SplittableRandom(seed);
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        Executors.newFixedThreadPool(
            4,
            task -> {
              Thread thread = new Thread(task, "toxiproxy-api-" + threads.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.http = HttpServer.create(bind, 64);
    http.setExecutor(executor);
    http.createContext("/", this::handle);
    http.start();
  }

  /** Starts a server on a free loopback port with seed 0. */
  public static ToxiproxyServer start() {
    return start(0L);
  }

  /** Starts a server on a free loopback port; {@code seed} drives every random choice. */
  public static ToxiproxyServer start(long seed) {
    try {
      return new ToxiproxyServer(seed);
    } catch (IOException e) {
      throw new BadInputException(
          "cannot start the Toxiproxy API on 127.0.0.1: " + e.getMessage(), e);
    }
  }

  /**
   * Runs the API on {@code HOST PORT} (default {@code 0.0.0.0 8474}, as the real Toxiproxy) until
   * the JVM is stopped: the entry point of the {@code docker/toxiproxy} image.
   */
  public static void main(String[] args) throws Exception {
    // Upstreams are container names that vanish while a container is down: no DNS caching, or a
    // lookup that failed during a 1 s kill keeps failing for the JDK's default 10 s (a security
    // property, so -Dsun.net.inetaddr.negative.ttl would not override it)
    java.security.Security.setProperty("networkaddress.cache.ttl", "0");
    java.security.Security.setProperty("networkaddress.cache.negative.ttl", "0");
    String host = args.length > 0 ? args[0] : "0.0.0.0";
    int port = args.length > 1 ? Integer.parseInt(args[1]) : 8474;
    ToxiproxyServer server = new ToxiproxyServer(0L, new InetSocketAddress(host, port));
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "toxiproxy-stop"));
    System.out.println("Toxiproxy API " + VERSION + " listening on " + host + ":" + port);
    new java.util.concurrent.CountDownLatch(1).await();
  }

  public String host() {
    return http.getAddress().getAddress().getHostAddress();
  }

  public int port() {
    return http.getAddress().getPort();
  }

  /** The API base URL, e.g. {@code http://127.0.0.1:41234}. */
  public String url() {
    return "http://" + host() + ":" + port();
  }

  /** Stops the API and every proxy, closing all listeners and connections. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      for (ProxyInstance proxy : proxies.values()) {
        proxy.stop();
      }
      proxies.clear();
    }
    http.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Response response;
      try {
        byte[] body = readBody(exchange.getRequestBody());
        String agent = exchange.getRequestHeaders().getFirst("User-Agent");
        if (agent != null && agent.startsWith("Mozilla/")) {
          // as Toxiproxy: a web page must not drive a local fault injector through the browser
          throw new ApiException(403, "User agent not allowed");
        }
        response = route(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body);
      } catch (ApiException e) {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", e.getMessage());
        error.put("status", e.status());
        response = new Response(e.status(), error);
      } catch (RuntimeException e) {
        ObjectNode error = JSON.createObjectNode();
        error.put("error", String.valueOf(e));
        error.put("status", 500);
        response = new Response(500, error);
      }
      send(exchange, response);
    }
  }

  private Response route(String method, String path, byte[] body) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (!part.isEmpty()) {
        parts.add(part);
      }
    }
    if (parts.size() == 1 && parts.get(0).equals("version")) {
      requireMethod(method, "GET");
      ObjectNode version = JSON.createObjectNode();
      version.put("version", VERSION);
      return new Response(200, version);
    }
    if (parts.size() == 1 && parts.get(0).equals("counters")) {
      requireMethod(method, "GET");
      return new Response(200, countersJson());
    }
    if (parts.size() == 1 && parts.get(0).equals("reset")) {
      requireMethod(method, "POST");
      reset();
      return new Response(204, null);
    }
    if (parts.isEmpty() || !parts.get(0).equals("proxies") || parts.size() > 4) {
      throw new ApiException(404, "404 page not found");
    }
    if (parts.size() == 1) {
      return switch (method) {
        case "GET" -> new Response(200, proxyIndex());
        case "POST" -> new Response(201, createProxy(parseObject(body)));
        default -> throw methodNotAllowed();
      };
    }
    String proxyName = parts.get(1);
    if (parts.size() == 2) {
      return switch (method) {
        case "GET" -> new Response(200, proxyJson(proxy(proxyName)));
        case "POST", "PATCH" -> new Response(200, updateProxy(proxyName, parseObject(body)));
        case "DELETE" -> {
          deleteProxy(proxyName);
          yield new Response(204, null);
        }
        default -> throw methodNotAllowed();
      };
    }
    if (!parts.get(2).equals("toxics")) {
      throw new ApiException(404, "404 page not found");
    }
    if (parts.size() == 3) {
      return switch (method) {
        case "GET" -> new Response(200, toxicsJson(proxy(proxyName).toxics()));
        case "POST" -> new Response(200, toxicJson(createToxic(proxyName, parseObject(body))));
        default -> throw methodNotAllowed();
      };
    }
    String toxicName = parts.get(3);
    return switch (method) {
      case "GET" -> {
        ToxicSpec spec = proxy(proxyName).toxic(toxicName);
        if (spec == null) {
          throw ApiException.toxicNotFound();
        }
        yield new Response(200, toxicJson(spec));
      }
      case "POST", "PATCH" ->
          new Response(200, toxicJson(updateToxic(proxyName, toxicName, parseObject(body))));
      case "DELETE" -> {
        proxy(proxyName).removeToxic(toxicName);
        yield new Response(204, null);
      }
      default -> throw methodNotAllowed();
    };
  }

  private synchronized ProxyInstance proxy(String name) {
    ProxyInstance proxy = proxies.get(name);
    if (proxy == null) {
      throw ApiException.proxyNotFound();
    }
    return proxy;
  }

  private synchronized ObjectNode proxyIndex() {
    ObjectNode index = JSON.createObjectNode();
    for (ProxyInstance proxy : proxies.values()) {
      index.set(proxy.name(), proxyJson(proxy));
    }
    return index;
  }

  private synchronized ObjectNode countersJson() {
    ObjectNode all = JSON.createObjectNode();
    for (ProxyInstance proxy : proxies.values()) {
      all.set(proxy.name(), JSON.valueToTree(proxy.counters().snapshot()));
    }
    return all;
  }

  private synchronized void reset() {
    for (ProxyInstance proxy : proxies.values()) {
      proxy.start();
      proxy.removeAllToxics();
    }
  }

  private synchronized ObjectNode createProxy(ObjectNode input) {
    String name = text(input, "name", "");
    String listen = text(input, "listen", "");
    String upstream = text(input, "upstream", "");
    boolean enabled = bool(input, "enabled", true);
    if (name.isEmpty()) {
      throw new ApiException(400, "missing required field: name");
    }
    if (upstream.isEmpty()) {
      throw new ApiException(400, "missing required field: upstream");
    }
    if (proxies.containsKey(name)) {
      throw new ApiException(409, "proxy already exists");
    }
    ProxyInstance.parseAddress(upstream, "upstream");
    ProxyInstance proxy = new ProxyInstance(name, listen, upstream, random.split());
    if (enabled) {
      proxy.start();
    }
    proxies.put(name, proxy);
    return proxyJson(proxy);
  }

  private synchronized ObjectNode updateProxy(String name, ObjectNode input) {
    ProxyInstance proxy = proxy(name);
    proxy.update(
        text(input, "listen", proxy.listen()),
        text(input, "upstream", proxy.upstream()),
        bool(input, "enabled", proxy.enabled()));
    return proxyJson(proxy);
  }

  private synchronized void deleteProxy(String name) {
    proxy(name).stop();
    proxies.remove(name);
  }

  private synchronized ToxicSpec createToxic(String proxyName, ObjectNode input) {
    ProxyInstance proxy = proxy(proxyName);
    String streamText = text(input, "stream", "downstream");
    StreamDirection stream = StreamDirection.parse(streamText);
    String type = text(input, "type", "");
    String name = text(input, "name", "");
    if (name.isEmpty()) {
      name = type + "_" + streamText;
    }
    ToxicKind kind = ToxicKind.parse(type);
    if (proxy.toxic(name) != null) {
      throw new ApiException(409, "toxic already exists");
    }
    float toxicity = toxicity(input, 1.0f);
    Map<String, Long> attributes = kind.defaults();
    attributes.putAll(attributes(kind, input.get("attributes")));
    ToxicSpec spec = new ToxicSpec(name, kind, stream, toxicity, attributes);
    proxy.addToxic(spec);
    return spec;
  }

  private synchronized ToxicSpec updateToxic(String proxyName, String toxicName, ObjectNode input) {
    ProxyInstance proxy = proxy(proxyName);
    ToxicSpec existing = proxy.toxic(toxicName);
    if (existing == null) {
      throw ApiException.toxicNotFound();
    }
    ToxicSpec updated =
        existing.with(
            toxicity(input, existing.toxicity()),
            attributes(existing.kind(), input.get("attributes")));
    return proxy.updateToxic(toxicName, updated);
  }

  private static Map<String, Long> attributes(ToxicKind kind, JsonNode node) {
    Map<String, Long> values = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return values;
    }
    if (!node.isObject()) {
      throw ApiException.badBody("attributes must be an object");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (!kind.attributes().contains(field.getKey())) {
        continue; // Go's decoder ignores unknown fields
      }
      JsonNode value = field.getValue();
      if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == value.asLong())) {
        throw ApiException.badBody(
            "attribute " + field.getKey() + " of " + kind.wireName() + " must be an integer");
      }
      values.put(field.getKey(), value.asLong());
    }
    return values;
  }

  private static float toxicity(ObjectNode input, float fallback) {
    JsonNode value = input.get("toxicity");
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isNumber()) {
      throw ApiException.badBody("toxicity must be a number");
    }
    return value.floatValue();
  }

  private static String text(ObjectNode input, String field, String fallback) {
    JsonNode value = input.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isTextual()) {
      throw ApiException.badBody(field + " must be a string");
    }
    return value.asText();
  }

  private static boolean bool(ObjectNode input, String field, boolean fallback) {
    JsonNode value = input.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw ApiException.badBody(field + " must be a boolean");
    }
    return value.asBoolean();
  }

  private static ObjectNode parseObject(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badBody("EOF");
    }
    JsonNode node;
    try {
      node = JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw ApiException.badBody(e.getOriginalMessage());
    } catch (IOException e) {
      throw ApiException.badBody(e.getMessage());
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badBody("expected a JSON object");
    }
    return (ObjectNode) node;
  }

  private static ObjectNode proxyJson(ProxyInstance proxy) {
    ObjectNode json = JSON.createObjectNode();
    json.put("name", proxy.name());
    json.put("listen", proxy.listen());
    json.put("upstream", proxy.upstream());
    json.put("enabled", proxy.enabled());
    json.set("toxics", toxicsJson(proxy.toxics()));
    return json;
  }

  private static ArrayNode toxicsJson(List<ToxicSpec> toxics) {
    ArrayNode array = JSON.createArrayNode();
    toxics.forEach(spec -> array.add(toxicJson(spec)));
    return array;
  }

  private static ObjectNode toxicJson(ToxicSpec spec) {
    ObjectNode json = JSON.createObjectNode();
    ObjectNode attributes = json.putObject("attributes");
    spec.attributes().forEach(attributes::put);
    json.put("name", spec.name());
    json.put("type", spec.kind().wireName());
    json.put("stream", spec.stream().wireName());
    json.put("toxicity", spec.toxicity());
    return json;
  }

  private static void requireMethod(String method, String expected) {
    if (!method.equals(expected)) {
      throw methodNotAllowed();
    }
  }

  private static ApiException methodNotAllowed() {
    return new ApiException(405, "method not allowed");
  }

  private static byte[] readBody(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static void send(HttpExchange exchange, Response response) throws IOException {
    if (response.body == null) {
      exchange.sendResponseHeaders(response.status, -1);
      return;
    }
    byte[] bytes = (JSON.writeValueAsString(response.body) + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(response.status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private record Response(int status, JsonNode body) {}
}
