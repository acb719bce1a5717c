package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.toxic.Latency;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conformance of the in-JVM Toxiproxy: the API through toxiproxy-java (raw HTTP only where the
 * client cannot send bad input), and every toxic observed on real loopback TCP traffic.
 */
class ToxiproxyServerIT {
  private ToxiproxyServer server;
  private ToxiproxyClient client;
  private TcpPeer echo;

  @BeforeEach
  void start() throws Exception {
    server = ToxiproxyServer.start(42);
    client = new ToxiproxyClient(server.host(), server.port());
    echo = TcpPeer.echo();
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    server.close();
  }

  @Test
  void proxiesBytesBothWays() throws Exception {
    Proxy proxy = echoProxy("echo");
    assertThat(port(proxy)).as("listen on port 0 reports the bound port").isPositive();
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "hello through the proxy"))
          .as("the echo server's answer comes back through the proxy")
          .isEqualTo("hello through the proxy");
    }
    assertThat(client.version()).as("version endpoint").contains(ToxiproxyServer.VERSION);
  }

  @Test
  void measuresThroughputWithoutToxics() throws Exception {
    try (TcpPeer sink = TcpPeer.sink()) {
      Proxy proxy = client.createProxy("bench", "127.0.0.1:0", "127.0.0.1:" + sink.port());
      double direct = pushMegabytesPerSecond(sink, sink.port());
      double proxied = pushMegabytesPerSecond(sink, port(proxy));
      System.out.printf(
          "throughput, one connection, 256 MiB: direct %.0f MB/s, through the proxy %.0f MB/s%n",
          direct, proxied);
      assertThat(proxied).as("a proxy without toxics must not be a bottleneck").isGreaterThan(50);
    }
    Proxy proxy = echoProxy("rtt");
    try (Socket viaProxy = connect(proxy);
        Socket direct = new Socket("127.0.0.1", echo.port())) {
      direct.setTcpNoDelay(true);
      System.out.printf(
          "round trip of 1 byte: direct %.0f us, through the proxy %.0f us%n",
          roundTripMicros(direct), roundTripMicros(viaProxy));
    }
  }

  private static double pushMegabytesPerSecond(TcpPeer sink, int port) throws Exception {
    byte[] block = new byte[64 * 1024];
    long total = 256L * 1024 * 1024;
    long expected = sink.received() + total;
    long started = System.nanoTime();
    try (Socket socket = new Socket("127.0.0.1", port)) {
      OutputStream out = socket.getOutputStream();
      for (long sent = 0; sent < total; sent += block.length) {
        out.write(block);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> sink.received() == expected);
    }
    return total / 1e6 / ((System.nanoTime() - started) / 1e9);
  }

  private static double roundTripMicros(Socket socket) throws IOException {
    for (int i = 0; i < 200; i++) {
      roundTrip(socket, "w");
    }
    int rounds = 2000;
    long started = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      roundTrip(socket, "x");
    }
    return (System.nanoTime() - started) / 1e3 / rounds;
  }

  @Test
  void latencyDelaysEveryResponse() throws Exception {
    Proxy proxy = echoProxy("latency");
    proxy.toxics().latency("slow", ToxicDirection.DOWNSTREAM, 200);
    try (Socket socket = connect(proxy)) {
      for (int i = 0; i < 3; i++) {
        long started = System.nanoTime();
        roundTrip(socket, "ping" + i);
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(millis)
            .as("round trip %d with 200 ms downstream latency", i)
            .isBetween(195L, 600L);
      }
    }
  }

  @Test
  void jitterVariesTheDelayAroundTheLatency() throws Exception {
    Proxy proxy = echoProxy("jitter");
    Latency latency = proxy.toxics().latency("slow", ToxicDirection.UPSTREAM, 100);
    latency.setJitter(80);
    assertThat(proxy.toxics().get("slow", Latency.class).getJitter())
        .as("attribute update by partial POST")
        .isEqualTo(80);
    long min = Long.MAX_VALUE;
    long max = 0;
    try (Socket socket = connect(proxy)) {
      for (int i = 0; i < 12; i++) {
        long started = System.nanoTime();
        roundTrip(socket, "j" + i);
        long millis = (System.nanoTime() - started) / 1_000_000;
        min = Math.min(min, millis);
        max = Math.max(max, millis);
      }
    }
    assertThat(min).as("no delay below latency - jitter").isGreaterThanOrEqualTo(19);
    assertThat(max - min).as("jitter of 80 ms spreads the delays").isGreaterThan(20);
  }

  @Test
  void bandwidthBoundsThroughput() throws Exception {
    try (TcpPeer sink = TcpPeer.sink()) {
      Proxy proxy = client.createProxy("bandwidth", "127.0.0.1:0", "127.0.0.1:" + sink.port());
      proxy.toxics().bandwidth("narrow", ToxicDirection.UPSTREAM, 100); // 100 KB/s
      int bytes = 50_000;
      long started = System.nanoTime();
      try (Socket socket = connect(proxy)) {
        socket.getOutputStream().write(new byte[bytes]);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.received() == bytes);
      }
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("50 KB at 100 KB/s takes about 500 ms").isBetween(450L, 1500L);
    }
  }

  @Test
  void timeoutZeroBlackholesUntilRemovedThenClosesTheStalledConnection() throws Exception {
    Proxy proxy = echoProxy("blackhole");
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "before")).isEqualTo("before");
      proxy.toxics().timeout("hole", ToxicDirection.UPSTREAM, 0);
      long receivedBefore = echo.received();
      socket.getOutputStream().write("lost".getBytes(StandardCharsets.UTF_8));
      socket.setSoTimeout(400);
      assertThatThrownBy(() -> socket.getInputStream().read())
          .as("a blackhole stalls the client")
          .isInstanceOf(SocketTimeoutException.class);
      assertThat(echo.received()).as("upstream sees nothing").isEqualTo(receivedBefore);
      assertThat(proxy.toxics().getAll()).hasSize(1);

      proxy.toxics().get("hole").remove();
      socket.setSoTimeout(2000);
      assertThat(readOrReset(socket.getInputStream()))
          .as("Toxiproxy closes a connection whose data a removed timeout toxic dropped")
          .isEqualTo(-1);
    }
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "after")).as("flow resumes once healed").isEqualTo("after");
    }
  }

  @Test
  void timeoutAboveZeroClosesTheConnectionAfterThatTime() throws Exception {
    Proxy proxy = echoProxy("timeout");
    proxy.toxics().timeout("cut", ToxicDirection.DOWNSTREAM, 300);
    try (Socket socket = connect(proxy)) {
      long started = System.nanoTime();
      socket.setSoTimeout(3000);
      assertThat(readOrReset(socket.getInputStream())).as("closed by the toxic").isEqualTo(-1);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("closed after the 300 ms timeout").isBetween(250L, 1500L);
    }
  }

  @Test
  void resetPeerResetsTheConnection() throws Exception {
    Proxy proxy = echoProxy("reset");
    proxy.toxics().resetPeer("rst", ToxicDirection.UPSTREAM, 100);
    try (Socket socket = connect(proxy)) {
      socket.setSoTimeout(3000);
      long started = System.nanoTime();
      socket.getOutputStream().write("trigger".getBytes(StandardCharsets.UTF_8));
      assertThatThrownBy(() -> socket.getInputStream().read())
          .as("the client sees a TCP reset, not an orderly close")
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("after the 100 ms timeout").isBetween(90L, 1500L);
    }
  }

  @Test
  void slowCloseDelaysTheClose() throws Exception {
    Proxy proxy = echoProxy("slowclose");
    proxy.toxics().slowClose("lazy", ToxicDirection.DOWNSTREAM, 400);
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "hi")).isEqualTo("hi");
      long started = System.nanoTime();
      echo.closeConnections();
      socket.setSoTimeout(3000);
      assertThat(readOrReset(socket.getInputStream())).isEqualTo(-1);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis)
          .as("the server's close reaches the client 400 ms late")
          .isBetween(380L, 1500L);
    }
  }

  @Test
  void slicerSplitsDataIntoSmallDelayedPieces() throws Exception {
    try (TcpPeer sink = TcpPeer.sink()) {
      Proxy proxy = client.createProxy("slicer", "127.0.0.1:0", "127.0.0.1:" + sink.port());
      proxy.toxics().slicer("slices", ToxicDirection.UPSTREAM, 10, 50_000).setSizeVariation(4);
      try (Socket socket = connect(proxy)) {
        socket.getOutputStream().write(new byte[200]);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.received() == 200);
      }
      List<Integer> sizes = sink.readSizes();
      // a loaded machine may let two slices land before the sink reads, so judge the typical read
      assertThat(sizes)
          .as("200 bytes arrive in many slices, not in one read")
          .hasSizeGreaterThan(5);
      List<Integer> sorted = sizes.stream().sorted().toList();
      assertThat(sorted.get(sorted.size() / 2))
          .as("the median read is no larger than a slice (average + variation)")
          .isLessThanOrEqualTo(14);
    }
  }

  @Test
  void limitDataClosesAfterThatManyBytes() throws Exception {
    try (TcpPeer sink = TcpPeer.sink()) {
      Proxy proxy = client.createProxy("limit", "127.0.0.1:0", "127.0.0.1:" + sink.port());
      proxy.toxics().limitData("cap", ToxicDirection.UPSTREAM, 100);
      try (Socket socket = connect(proxy)) {
        socket.setSoTimeout(3000);
        socket.getOutputStream().write(new byte[60]);
        socket.getOutputStream().write(new byte[90]);
        assertThat(readOrReset(socket.getInputStream())).as("connection closed").isEqualTo(-1);
      }
      await().atMost(Duration.ofSeconds(2)).until(() -> sink.received() == 100);
      Thread.sleep(100);
      assertThat(sink.received()).as("exactly the first 100 bytes pass").isEqualTo(100);
    }
  }

  @Test
  void toxicityZeroNeverApplies() throws Exception {
    Proxy proxy = echoProxy("toxicity");
    proxy.toxics().latency("never", ToxicDirection.DOWNSTREAM, 1000).setToxicity(0f);
    assertThat(proxy.toxics().get("never").getToxicity()).isZero();
    for (int i = 0; i < 5; i++) {
      try (Socket socket = connect(proxy)) {
        long started = System.nanoTime();
        roundTrip(socket, "fast" + i);
        assertThat((System.nanoTime() - started) / 1_000_000)
            .as("a toxic with toxicity 0 never applies")
            .isLessThan(500);
      }
    }
  }

  @Test
  void addingAToxicAffectsLiveConnections() throws Exception {
    Proxy proxy = echoProxy("live");
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "a")).isEqualTo("a");
      proxy.toxics().latency("late", ToxicDirection.DOWNSTREAM, 300);
      long started = System.nanoTime();
      roundTrip(socket, "b");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("a toxic added later slows an open connection")
          .isGreaterThanOrEqualTo(290);
      proxy.toxics().get("late").remove();
      started = System.nanoTime();
      roundTrip(socket, "c");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("removing it makes the open connection fast again (below the 300 ms it added)")
          .isLessThan(290);
    }
  }

  @Test
  void proxyCrud() throws Exception {
    Proxy proxy = echoProxy("crud");
    assertThat(proxy.isEnabled()).isTrue();
    assertThat(client.getProxy("crud").getUpstream()).isEqualTo("127.0.0.1:" + echo.port());
    assertThat(client.getProxies()).extracting(Proxy::getName).containsExactly("crud");
    try (TcpPeer other = TcpPeer.echo()) {
      proxy.setUpstream("127.0.0.1:" + other.port());
      assertThat(proxy.getUpstream()).isEqualTo("127.0.0.1:" + other.port());
      try (Socket socket = connect(proxy)) {
        roundTrip(socket, "moved");
      }
      assertThat(other.acceptedCount()).as("new upstream is used").isEqualTo(1);
    }
    proxy.delete();
    assertThat(client.getProxies()).isEmpty();
    assertThat(client.getProxyOrNull("crud")).isNull();
    assertThatThrownBy(() -> new Socket("127.0.0.1", port(proxy)))
        .as("a deleted proxy stops listening")
        .isInstanceOf(ConnectException.class);
  }

  @Test
  void disableRefusesAndClosesEnableRestores() throws Exception {
    Proxy proxy = echoProxy("toggle");
    int port = port(proxy);
    try (Socket socket = connect(proxy)) {
      roundTrip(socket, "up");
      proxy.disable();
      assertThat(proxy.isEnabled()).isFalse();
      socket.setSoTimeout(2000);
      assertThat(readOrReset(socket.getInputStream()))
          .as("disabling closes open connections")
          .isEqualTo(-1);
    }
    assertThatThrownBy(() -> new Socket("127.0.0.1", port))
        .as("a disabled proxy refuses connections")
        .isInstanceOf(ConnectException.class);
    proxy.enable();
    assertThat(port(proxy)).as("enabled again on the same port").isEqualTo(port);
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "back")).isEqualTo("back");
    }
  }

  @Test
  void rapidDisableEnableRebindsTheSamePort() throws Exception {
    Proxy proxy = echoProxy("flapping");
    int port = port(proxy);
    for (int i = 0; i < 30; i++) {
      proxy.disable();
      proxy.enable();
      assertThat(port(proxy)).as("cycle %d keeps the port", i).isEqualTo(port);
    }
    proxy.setListen("127.0.0.1:" + port);
    proxy.setUpstream("127.0.0.1:" + echo.port());
    try (Socket socket = connect(proxy)) {
      assertThat(roundTrip(socket, "still here")).isEqualTo("still here");
    }
  }

  @Test
  void resetRemovesToxicsAndEnablesProxies() throws Exception {
    Proxy proxy = echoProxy("resettable");
    proxy.toxics().latency("l", ToxicDirection.DOWNSTREAM, 1000);
    proxy.toxics().bandwidth("b", ToxicDirection.UPSTREAM, 1);
    proxy.disable();
    client.reset();
    Proxy after = client.getProxy("resettable");
    assertThat(after.isEnabled()).as("reset enables every proxy").isTrue();
    assertThat(after.toxics().getAll()).as("reset removes every toxic").isEmpty();
    try (Socket socket = connect(after)) {
      assertThat(roundTrip(socket, "clean")).isEqualTo("clean");
    }
  }

  @Test
  void errorsAreToxiproxys() throws Exception {
    Proxy proxy = echoProxy("errors");
    assertThatThrownBy(() -> client.getProxy("missing"))
        .as("unknown proxy")
        .isInstanceOf(IOException.class)
        .hasMessageContaining("[404] proxy not found");
    assertThatThrownBy(() -> client.createProxy("errors", "127.0.0.1:0", "127.0.0.1:1"))
        .as("duplicate proxy name")
        .hasMessageContaining("[409] proxy already exists");
    proxy.toxics().latency("once", ToxicDirection.DOWNSTREAM, 1);
    assertThatThrownBy(() -> proxy.toxics().latency("once", ToxicDirection.UPSTREAM, 1))
        .as("duplicate toxic name")
        .hasMessageContaining("[409] toxic already exists");
    assertThatThrownBy(() -> proxy.toxics().get("missing"))
        .as("unknown toxic")
        .hasMessageContaining("[404] toxic not found");

    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> browser =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/proxies"))
                .header("User-Agent", "Mozilla/5.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(browser.statusCode()).as("browsers are refused, as by Toxiproxy").isEqualTo(403);
    assertThat(post(http, "/proxies/errors/toxics", "{\"type\":\"nonsense\"}"))
        .as("bad toxic type")
        .isEqualTo("400 {\"error\":\"invalid toxic type\",\"status\":400}");
    assertThat(
            post(http, "/proxies/errors/toxics", "{\"type\":\"latency\",\"stream\":\"sideways\"}"))
        .as("bad stream")
        .startsWith("400 {\"error\":\"stream was invalid");
    assertThat(
            post(
                http,
                "/proxies/errors/toxics",
                "{\"type\":\"latency\",\"attributes\":{\"latency\":\"x\"}}"))
        .as("non-numeric attribute")
        .startsWith("400 {\"error\":\"bad request body:");
    assertThat(post(http, "/proxies", "{not json"))
        .as("malformed body")
        .startsWith("400 {\"error\":\"bad request body:");
    assertThat(post(http, "/proxies", "{\"name\":\"x\"}"))
        .as("missing upstream")
        .isEqualTo("400 {\"error\":\"missing required field: upstream\",\"status\":400}");
    assertThat(post(http, "/proxies/missing/toxics", "{\"type\":\"latency\"}"))
        .as("toxic on unknown proxy")
        .startsWith("404 {\"error\":\"proxy not found\"");
    assertThat(
            post(http, "/proxies/errors/toxics", "{\"type\":\"timeout\",\"stream\":\"upstream\"}"))
        .as("a toxic without a name is named type_stream")
        .contains("\"name\":\"timeout_upstream\"");
    List<? extends Toxic> toxics = proxy.toxics().getAll();
    assertThat(toxics).extracting(Toxic::getName).containsExactly("timeout_upstream", "once");
  }

  @Test
  void closeStopsEveryProxyThreadAndConnection() throws Exception {
    Proxy held = echoProxy("held");
    held.toxics().timeout("hole", ToxicDirection.DOWNSTREAM, 0);
    Proxy slow = echoProxy("slow");
    slow.toxics().latency("late", ToxicDirection.UPSTREAM, 10_000);
    try (Socket stalled = connect(held);
        Socket delayed = connect(slow)) {
      delayed.getOutputStream().write(1);
      await().atMost(Duration.ofSeconds(2)).until(() -> proxyThreads() >= 8);

      server.close();

      assertThat(readOrReset(stalled.getInputStream()))
          .as("blackholed client closed")
          .isEqualTo(-1);
      assertThat(readOrReset(delayed.getInputStream())).as("delayed client closed").isEqualTo(-1);
      await()
          .atMost(Duration.ofSeconds(3))
          .untilAsserted(
              () ->
                  assertThat(proxyThreads())
                      .as("no proxy or API thread outlives close()")
                      .isZero());
      assertThatThrownBy(() -> new Socket("127.0.0.1", port(held)))
          .isInstanceOf(ConnectException.class);
      assertThatThrownBy(() -> client.version()).as("API stopped").isInstanceOf(IOException.class);
    }
  }

  private static long proxyThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(thread -> thread.getName().startsWith("toxiproxy-"))
        .count();
  }

  private Proxy echoProxy(String name) throws IOException {
    return client.createProxy(name, "127.0.0.1:0", "127.0.0.1:" + echo.port());
  }

  private String post(HttpClient http, String path, String body) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() + " " + response.body().trim();
  }

  static int port(Proxy proxy) {
    String listen = proxy.getListen();
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  static Socket connect(Proxy proxy) throws IOException {
    Socket socket = new Socket("127.0.0.1", port(proxy));
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    return socket;
  }

  static String roundTrip(Socket socket, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    socket.getOutputStream().write(bytes);
    byte[] back = socket.getInputStream().readNBytes(bytes.length);
    if (back.length < bytes.length) {
      throw new IOException("connection closed after " + Arrays.toString(back));
    }
    return new String(back, StandardCharsets.UTF_8);
  }

  /** Reads one byte; a close seen as a reset by the OS counts as a close (-1). */
  static int readOrReset(InputStream in) throws IOException {
    try {
      return in.read();
    } catch (SocketException e) {
      if (String.valueOf(e.getMessage()).contains("reset")) {
        return -1;
      }
      throw e;
    }
  }
}
