package dev.cdcchaos.harness.net;

import static dev.cdcchaos.harness.net.ToxiproxyServerIT.readOrReset;
import static dev.cdcchaos.harness.net.ToxiproxyServerIT.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.Link;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Named links over real proxies: a fault on one link reaches all its proxies and no other link. */
class LinksIT {
  private ToxiproxyServer server;
  private TcpPeer brokerOne;
  private TcpPeer brokerTwo;
  private Links links;
  private int consumerOne;
  private int consumerTwo;
  private int publisher;

  @BeforeEach
  void start() throws Exception {
    server = ToxiproxyServer.start(7);
    brokerOne = TcpPeer.echo();
    brokerTwo = TcpPeer.echo();
    links = new Links(server.host(), server.port());
    consumerOne = links.route(Links.CONSUMER_TO_KAFKA, "127.0.0.1", brokerOne.port());
    consumerTwo = links.route(Links.CONSUMER_TO_KAFKA, "127.0.0.1", brokerTwo.port());
    publisher = links.route(Links.PUBLISHER_TO_KAFKA, "127.0.0.1", brokerOne.port());
  }

  @AfterEach
  void stop() throws Exception {
    links.close();
    brokerOne.close();
    brokerTwo.close();
    server.close();
  }

  @Test
  void routesEachLinkThroughItsOwnNamedProxies() throws Exception {
    assertThat(links.links()).containsExactly("consumer->kafka", "publisher->kafka");
    assertThat(new ToxiproxyClient(server.host(), server.port()).getProxies())
        .extracting(Proxy::getName)
        .containsExactlyInAnyOrder(
            "consumer_to_kafka_1", "consumer_to_kafka_2", "publisher_to_kafka_1");
    for (int port : new int[] {consumerOne, consumerTwo, publisher}) {
      try (Socket socket = connect(port)) {
        assertThat(roundTrip(socket, "via " + port)).isEqualTo("via " + port);
      }
    }
    assertThat(brokerTwo.acceptedCount())
        .as("second consumer proxy reaches broker two")
        .isEqualTo(1);
  }

  @Test
  void partitionStallsEveryProxyOfTheLinkOnlyAndHealResumes() throws Exception {
    try (Socket one = connect(consumerOne);
        Socket two = connect(consumerTwo);
        Socket other = connect(publisher)) {
      links.partition(Links.CONSUMER_TO_KAFKA);
      for (Socket stalled : new Socket[] {one, two}) {
        stalled.getOutputStream().write("poll".getBytes(StandardCharsets.UTF_8));
        stalled.setSoTimeout(300);
        assertThatThrownBy(() -> stalled.getInputStream().read())
            .as("partitioned consumer connection stalls")
            .isInstanceOf(SocketTimeoutException.class);
      }
      assertThat(roundTrip(other, "send"))
          .as("publisher->kafka is not partitioned")
          .isEqualTo("send");

      links.heal(Links.CONSUMER_TO_KAFKA);
      one.setSoTimeout(2000);
      assertThat(readOrReset(one.getInputStream()))
          .as("a connection stalled by the partition is closed on heal, as Toxiproxy does")
          .isEqualTo(-1);
    }
    try (Socket again = connect(consumerOne)) {
      assertThat(roundTrip(again, "resumed"))
          .as("new connections flow after heal")
          .isEqualTo("resumed");
    }
  }

  @Test
  void latencyIsReappliedWithTheNewValue() throws Exception {
    links.latency(Links.CONSUMER_TO_KAFKA, 400, 0);
    links.latency(Links.CONSUMER_TO_KAFKA, 150, 0);
    try (Socket socket = connect(consumerTwo)) {
      long started = System.nanoTime();
      roundTrip(socket, "t");
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("the second latency replaces the first").isBetween(145L, 390L);
    }
    links.healAll();
    try (Socket socket = connect(consumerTwo)) {
      long started = System.nanoTime();
      roundTrip(socket, "t");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("healed: no trace of the 150 ms latency left")
          .isLessThan(145);
    }
  }

  @Test
  void disableRefusesConnectionsUntilEnabled() throws Exception {
    links.disable(Links.CONSUMER_TO_KAFKA);
    assertThatThrownBy(() -> connect(consumerOne)).isInstanceOf(ConnectException.class);
    assertThatThrownBy(() -> connect(consumerTwo)).isInstanceOf(ConnectException.class);
    try (Socket socket = connect(publisher)) {
      roundTrip(socket, "other link unaffected");
    }
    links.enable(Links.CONSUMER_TO_KAFKA);
    try (Socket socket = connect(consumerOne)) {
      assertThat(roundTrip(socket, "back")).isEqualTo("back");
    }
  }

  @Test
  void resetPeerLimitDataBandwidthAndSlowCloseReachTheWire() throws Exception {
    links.resetPeer(Links.PUBLISHER_TO_KAFKA, 50);
    try (Socket socket = connect(publisher)) {
      socket.getOutputStream().write(1);
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
    links.heal(Links.PUBLISHER_TO_KAFKA);

    links.limitData(Links.PUBLISHER_TO_KAFKA, 10);
    try (Socket socket = connect(publisher)) {
      socket.getOutputStream().write(new byte[30]);
      assertThat(readAllOrReset(socket))
          .as("only 10 bytes of the answer pass before the close")
          .hasSize(10);
    }
    links.heal(Links.PUBLISHER_TO_KAFKA);

    links.bandwidth(Links.PUBLISHER_TO_KAFKA, 50);
    try (Socket socket = connect(publisher)) {
      long started = System.nanoTime();
      socket.getOutputStream().write(new byte[10_000]);
      socket.getInputStream().readNBytes(10_000);
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertThat(millis).as("10 KB each way at 50 KB/s").isBetween(180L, 1500L);
    }
    links.heal(Links.PUBLISHER_TO_KAFKA);

    links.slowClose(Links.PUBLISHER_TO_KAFKA, 300);
    try (Socket socket = connect(publisher)) {
      roundTrip(socket, "x");
      long started = System.nanoTime();
      brokerOne.closeConnections();
      assertThat(readOrReset(socket.getInputStream())).isEqualTo(-1);
      assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(290);
    }
  }

  @Test
  void injectAndClearOneScenarioFaultLeaveTheOthers() throws Exception {
    Fault.Latency latency =
        new Fault.Latency(
            Link.CONSUMER_KAFKA, Direction.DOWNSTREAM, Duration.ofMillis(150), Duration.ZERO);
    Fault.Partition requestsCut =
        new Fault.Partition(Link.CONSUMER_KAFKA, Direction.UPSTREAM, Fault.PartitionMode.BLACKHOLE);
    links.inject(latency);
    links.inject(requestsCut);
    try (Socket socket = connect(consumerOne)) {
      socket.getOutputStream().write(1);
      socket.setSoTimeout(400);
      assertThatThrownBy(() -> socket.getInputStream().read())
          .as("requests are blackholed")
          .isInstanceOf(SocketTimeoutException.class);
    }
    links.clear(requestsCut);
    try (Socket socket = connect(consumerOne)) {
      long started = System.nanoTime();
      assertThat(roundTrip(socket, "ok")).isEqualTo("ok");
      assertThat((System.nanoTime() - started) / 1_000_000)
          .as("clearing the partition keeps the latency fault")
          .isGreaterThanOrEqualTo(145);
    }
    links.clear(latency);
    assertThat(
            new ToxiproxyClient(server.host(), server.port())
                .getProxy("consumer_to_kafka_1")
                .toxics()
                .getAll())
        .as("no toxic left once both faults are cleared")
        .isEmpty();

    Fault.Partition down =
        new Fault.Partition(Link.CONSUMER_KAFKA, Direction.BOTH, Fault.PartitionMode.DOWN);
    links.inject(down);
    assertThatThrownBy(() -> connect(consumerTwo)).isInstanceOf(ConnectException.class);
    links.clear(down);
    try (Socket socket = connect(consumerTwo)) {
      assertThat(roundTrip(socket, "up")).isEqualTo("up");
    }
  }

  @Test
  void countersMoveUnderAPartitionWithTrafficAndStayAtZeroOnAnIdleLink() throws Exception {
    Fault.Partition busy = new Fault.Partition(Link.CONSUMER_KAFKA);
    Fault.Partition idle = new Fault.Partition(Link.PUBLISHER_KAFKA);
    LinkCounters busyBefore = links.counters(Links.CONSUMER_TO_KAFKA).orElseThrow();
    LinkCounters idleBefore = links.counters(Links.PUBLISHER_TO_KAFKA).orElseThrow();
    try (Socket one = connect(consumerOne)) {
      assertThat(roundTrip(one, "fetch")).isEqualTo("fetch");
      links.inject(busy);
      links.inject(idle);
      one.getOutputStream().write("poll".getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  links
                          .counters(Links.CONSUMER_TO_KAFKA)
                          .orElseThrow()
                          .minus(busyBefore)
                          .toxic("partition_upstream")
                          .bytesDropped()
                      == 4);
      links.clear(busy);
      links.clear(idle);
    }
    LinkCounters busyDelta =
        links.counters(Links.CONSUMER_TO_KAFKA).orElseThrow().minus(busyBefore);
    assertThat(busyDelta.toxic("partition_upstream"))
        .as(
            "the 4 bytes sent into the blackhole were dropped, on the one connection it stalled,"
                + " which the heal closed")
        .isEqualTo(new LinkCounters.ToxicCounts(1, 4, 0, 1, 0, 0));
    assertThat(busyDelta.toxic("partition_downstream"))
        .as("the echo server never got the poll, so nothing came back to drop")
        .isEqualTo(LinkCounters.ToxicCounts.ZERO);
    assertThat(busyDelta.connections()).isEqualTo(1);
    assertThat(busyDelta.bytesUpstream()).as("fetch + poll from the client").isEqualTo(9);

    LinkCounters idleDelta =
        links.counters(Links.PUBLISHER_TO_KAFKA).orElseThrow().minus(idleBefore);
    assertThat(idleDelta.toxics().values())
        .as("a partition over an idle link touches nothing")
        .allMatch(LinkCounters.ToxicCounts.ZERO::equals);
    assertThat(idleDelta.connections() + idleDelta.bytesUpstream() + idleDelta.bytesDownstream())
        .isZero();
  }

  @Test
  void countersShowDisabledCutsResetsDelaysAndLimits() throws Exception {
    LinkCounters before = links.counters(Links.PUBLISHER_TO_KAFKA).orElseThrow();
    Fault.Partition down =
        new Fault.Partition(Link.PUBLISHER_KAFKA, Direction.BOTH, Fault.PartitionMode.DOWN);
    try (Socket open = connect(publisher)) {
      roundTrip(open, "hi");
      links.inject(down);
      links.clear(down);
    }
    assertThat(links.counters(Links.PUBLISHER_TO_KAFKA).orElseThrow().minus(before).cutByDisable())
        .as("the open connection was closed by the down partition")
        .isEqualTo(1);

    Fault.ResetPeer reset =
        new Fault.ResetPeer(Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, Duration.ofMillis(20));
    links.inject(reset);
    try (Socket socket = connect(publisher)) {
      socket.getOutputStream().write(1);
      assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SocketException.class);
    }
    links.clear(reset);

    Fault.Latency latency =
        new Fault.Latency(
            Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, Duration.ofMillis(50), Duration.ZERO);
    links.inject(latency);
    try (Socket socket = connect(publisher)) {
      roundTrip(socket, "slow");
    }
    links.clear(latency);

    Fault.LimitData limit = new Fault.LimitData(Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, 10);
    links.inject(limit);
    try (Socket socket = connect(publisher)) {
      socket.getOutputStream().write(new byte[30]);
      readAllOrReset(socket);
    }
    links.clear(limit);

    LinkCounters delta = links.counters(Links.PUBLISHER_TO_KAFKA).orElseThrow().minus(before);
    assertThat(delta.toxic("reset_peer_downstream").connectionsReset())
        .as("reset-peer reset the connection that got data")
        .isEqualTo(1);
    assertThat(delta.toxic("latency_downstream").bytesDelayed())
        .as("the 4 answer bytes waited 50 ms")
        .isEqualTo(4);
    assertThat(delta.toxic("limit_data_downstream").connectionsCut())
        .as("limit-data cut the connection after 10 bytes")
        .isEqualTo(1);
    assertThat(delta.toxic("limit_data_downstream").bytesDropped())
        .as("whatever of the 30 echoed bytes came after the 10 allowed was dropped")
        .isBetween(0L, 20L);
  }

  @Test
  void aToxiproxyWithoutCountersGivesNoCountersRatherThanZeros() throws Exception {
    // the API real Toxiproxy serves for what Links needs to route, and 404 for GET /counters
    HttpServer real =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
    real.createContext(
        "/",
        exchange -> {
          try (exchange) {
            boolean create =
                exchange.getRequestMethod().equals("POST")
                    && exchange.getRequestURI().getPath().equals("/proxies");
            byte[] body =
                (create
                        ? "{\"name\":\"consumer_to_kafka_1\",\"listen\":\"127.0.0.1:1\","
                            + "\"upstream\":\"127.0.0.1:2\",\"enabled\":true,\"toxics\":[]}"
                        : "{\"error\":\"404 page not found\",\"status\":404}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(create ? 201 : 404, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    real.start();
    try (Links elsewhere = new Links("127.0.0.1", real.getAddress().getPort())) {
      elsewhere.route(Links.CONSUMER_TO_KAFKA, "127.0.0.1", 2);
      assertThat(elsewhere.counters(Links.CONSUMER_TO_KAFKA))
          .as("no counters is not zero counters: a fault there is not proven")
          .isEmpty();
    } finally {
      real.stop(0);
    }
  }

  @Test
  void twoInstancesOnOneServerGetDistinctProxies() throws Exception {
    try (Links other = new Links(server.host(), server.port())) {
      int port = other.route(Links.CONSUMER_TO_KAFKA, "127.0.0.1", brokerTwo.port());
      assertThat(port).isNotIn(consumerOne, consumerTwo, publisher);
      assertThat(new ToxiproxyClient(server.host(), server.port()).getProxy("consumer_to_kafka_3"))
          .as("the next free name is used")
          .isNotNull();
      other.partition(Links.CONSUMER_TO_KAFKA);
      try (Socket socket = connect(consumerOne)) {
        assertThat(roundTrip(socket, "mine"))
            .as("the other instance's fault stays on its proxy")
            .isEqualTo("mine");
      }
    }
    assertThatThrownBy(() -> links.route("", "127.0.0.1", 1)).isInstanceOf(BadInputException.class);
    assertThat(links.links()).containsExactly("consumer->kafka", "publisher->kafka");
  }

  @Test
  void unknownLinkNamesTheKnownOnes() {
    assertThatThrownBy(() -> links.partition("consumer->postgres"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("consumer->postgres")
        .hasMessageContaining("consumer->kafka, publisher->kafka");
  }

  @Test
  void closeDeletesTheProxiesItCreated() throws Exception {
    links.close();
    ToxiproxyClient client = new ToxiproxyClient(server.host(), server.port());
    await().atMost(Duration.ofSeconds(2)).until(() -> client.getProxies().isEmpty());
    assertThatThrownBy(() -> connect(consumerOne)).isInstanceOf(ConnectException.class);
  }

  private static byte[] readAllOrReset(Socket socket) throws IOException {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    byte[] buffer = new byte[64];
    try {
      int read;
      while ((read = socket.getInputStream().read(buffer)) >= 0) {
        all.write(buffer, 0, read);
      }
    } catch (SocketException e) {
      // a close racing unread data shows up as a reset; what arrived before still counts
    }
    return all.toByteArray();
  }

  private static Socket connect(int port) throws IOException {
    Socket socket = new Socket("127.0.0.1", port);
    socket.setTcpNoDelay(true);
    socket.setSoTimeout(5000);
    return socket;
  }
}
