package dev.cdcchaos.harness.net;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import eu.rekawek.toxiproxy.model.ToxicList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The harness's named network links ({@code writer->postgres}, {@code consumer->kafka}, ...), each
 * made of one or more Toxiproxy proxies (one per Kafka broker, say), and the network faults of the
 * fault vocabulary applied to all proxies of a link at once. Talks to Toxiproxy only through
 * toxiproxy-java, so it drives our {@link ToxiproxyServer} and a real Toxiproxy alike.
 *
 * <p>Toxic names are fixed per fault kind and stream ({@code partition_upstream}, {@code
 * latency_downstream}, ...): applying a fault again replaces its toxics with the new values, and
 * {@link #clear} removes one fault's toxics without touching another fault's. Directions default as
 * in scenario files: a partition cuts both ways, every other fault acts downstream.
 *
 * <p>Thread-safe: each call is atomic with respect to the other calls on the same instance.
 */
public final class Links implements AutoCloseable {
  /** Link names the harness uses. */
  public static final String WRITER_TO_POSTGRES = "writer->postgres";

  public static final String PUBLISHER_TO_POSTGRES = "publisher->postgres";
  public static final String PUBLISHER_TO_KAFKA = "publisher->kafka";
  public static final String CONSUMER_TO_KAFKA = "consumer->kafka";

  private static final String LISTEN_HOST = "127.0.0.1";

  private static final ObjectMapper JSON =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final String endpoint;
  private final ToxiproxyClient client;
  private final Map<String, List<Proxy>> links = new LinkedHashMap<>();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public Links(String toxiproxyHost, int toxiproxyPort) {
    this.endpoint = toxiproxyHost + ":" + toxiproxyPort;
    this.client = new ToxiproxyClient(toxiproxyHost, toxiproxyPort);
  }

  /**
   * What the proxies of {@code link} did since they were created, summed over them; empty when the
   * Toxiproxy server has no counters (real Toxiproxy: only our {@link ToxiproxyServer} serves
   * {@code GET /counters}) or does not answer. A fault whose effect depends on these is then not
   * proven, never assumed.
   */
  public Optional<LinkCounters> counters(String link) {
    List<String> names;
    synchronized (this) {
      names = proxies(link).stream().map(Proxy::getName).toList();
    }
    Map<String, LinkCounters> all;
    try {
      HttpResponse<byte[]> response =
          http.send(
              HttpRequest.newBuilder(URI.create("http://" + endpoint + "/counters"))
                  .timeout(Duration.ofSeconds(5))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return Optional.empty();
      }
      all = JSON.readValue(response.body(), new TypeReference<Map<String, LinkCounters>>() {});
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    LinkCounters sum = LinkCounters.ZERO;
    for (String name : names) {
      LinkCounters one = all.get(name);
      if (one == null) {
        return Optional.empty(); // a proxy without counters: the sum would be a guess
      }
      sum = sum.plus(one);
    }
    return Optional.of(sum);
  }

  /**
   * The names of the toxics {@link #inject} adds for {@code fault} on each proxy of its link
   * ({@code partition_upstream}, {@code partition_downstream} ...); none for a {@code down}
   * partition, which disables the proxies instead.
   */
  public static List<String> toxicNames(Fault.Network fault) {
    if (fault instanceof Fault.Partition p && p.mode() == Fault.PartitionMode.DOWN) {
      return List.of();
    }
    String prefix = toxicPrefix(fault);
    return streams(fault.direction()).stream().map(s -> toxicName(prefix, s)).toList();
  }

  /**
   * Creates a proxy for {@code link} to {@code upstreamHost:upstreamPort} listening on a free
   * loopback port, and returns that port; clients of the link connect there instead of upstream.
   */
  public synchronized int route(String link, String upstreamHost, int upstreamPort) {
    return route(link, LISTEN_HOST + ":0", hostPort(upstreamHost, upstreamPort));
  }

  /**
   * Creates a proxy for {@code link} to {@code upstream} ({@code host:port}, as the Toxiproxy host
   * reaches it) listening on {@code listen} ({@code host:port} on the Toxiproxy host; port 0 for
   * any free one), and returns the port it listens on.
   */
  public synchronized int route(String link, String listen, String upstream) {
    if (link == null || link.isBlank()) {
      throw new BadInputException("a link needs a name, e.g. consumer->kafka");
    }
    List<Proxy> proxies = links.getOrDefault(link, List.of());
    for (int index = proxies.size() + 1; ; index++) {
      String name = proxyName(link, index);
      Proxy proxy;
      try {
        proxy = client.createProxy(name, listen, upstream);
      } catch (IOException e) {
        if (String.valueOf(e.getMessage()).startsWith("[409]") && index < proxies.size() + 100) {
          continue; // another Links instance on the same server took this name
        }
        throw new UncheckedIOException(
            "Toxiproxy at " + endpoint + ": create proxy " + name + " failed: " + e.getMessage(),
            e);
      }
      links.computeIfAbsent(link, key -> new ArrayList<>()).add(proxy);
      String listening = proxy.getListen();
      return Integer.parseInt(listening.substring(listening.lastIndexOf(':') + 1));
    }
  }

  /**
   * Points {@code link}'s proxy that listens on {@code routedPort} at {@code
   * upstreamHost:upstreamPort} (the server behind it moved to another port) and returns {@code
   * routedPort}, so clients keep their address; routes anew when no proxy of the link listens
   * there.
   */
  public synchronized int reroute(
      String link, int routedPort, String upstreamHost, int upstreamPort) {
    for (Proxy proxy : links.getOrDefault(link, List.of())) {
      String listen = proxy.getListen();
      if (Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1)) == routedPort) {
        try {
          proxy.setUpstream(hostPort(upstreamHost, upstreamPort));
        } catch (IOException e) {
          throw new UncheckedIOException(
              "Toxiproxy at "
                  + endpoint
                  + ": moving proxy "
                  + proxy.getName()
                  + " to port "
                  + upstreamPort
                  + " failed: "
                  + e.getMessage(),
              e);
        }
        return routedPort;
      }
    }
    return route(link, upstreamHost, upstreamPort);
  }

  /** The links routed so far, in the order they were first routed. */
  public synchronized Set<String> links() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(links.keySet()));
  }

  /** Stops all data both ways; connections stay open (a blackhole) until the link heals. */
  public void partition(String link) {
    partition(link, Direction.BOTH);
  }

  /** Stops all data in {@code direction}, holding connections open (Toxiproxy timeout 0). */
  public void partition(String link, Direction direction) {
    addToxics(
        link, "partition", direction, (toxics, stream, name) -> toxics.timeout(name, stream, 0));
  }

  /** Delays every response (downstream) by {@code ms} +/- {@code jitterMs}. */
  public void latency(String link, long ms, long jitterMs) {
    latency(link, ms, jitterMs, Direction.DOWNSTREAM);
  }

  /** Delays every chunk in {@code direction} by {@code ms} +/- {@code jitterMs}. */
  public void latency(String link, long ms, long jitterMs, Direction direction) {
    addToxics(
        link,
        "latency",
        direction,
        (toxics, stream, name) -> toxics.latency(name, stream, ms).setJitter(jitterMs));
  }

  /** Limits responses (downstream) to {@code kbPerSecond} KB/s (1 KB = 1000 bytes). */
  public void bandwidth(String link, long kbPerSecond) {
    bandwidth(link, kbPerSecond, Direction.DOWNSTREAM);
  }

  /** Limits {@code direction} to {@code kbPerSecond} KB/s (1 KB = 1000 bytes). */
  public void bandwidth(String link, long kbPerSecond, Direction direction) {
    addToxics(
        link,
        "bandwidth",
        direction,
        (toxics, stream, name) -> toxics.bandwidth(name, stream, kbPerSecond));
  }

  /** Resets (TCP RST) each connection {@code timeoutMs} after the server next sends data. */
  public void resetPeer(String link, long timeoutMs) {
    resetPeer(link, timeoutMs, Direction.DOWNSTREAM);
  }

  /**
   * Resets (TCP RST) each connection {@code timeoutMs} after data next flows in {@code direction}.
   */
  public void resetPeer(String link, long timeoutMs, Direction direction) {
    addToxics(
        link,
        "reset_peer",
        direction,
        (toxics, stream, name) -> toxics.resetPeer(name, stream, timeoutMs));
  }

  /** Passes the server's close on to the client {@code delayMs} late. */
  public void slowClose(String link, long delayMs) {
    slowClose(link, delayMs, Direction.DOWNSTREAM);
  }

  /** Passes a close in {@code direction} on {@code delayMs} late. */
  public void slowClose(String link, long delayMs, Direction direction) {
    addToxics(
        link,
        "slow_close",
        direction,
        (toxics, stream, name) -> toxics.slowClose(name, stream, delayMs));
  }

  /** Closes each connection once the server sent {@code bytes} bytes on it. */
  public void limitData(String link, long bytes) {
    limitData(link, bytes, Direction.DOWNSTREAM);
  }

  /** Closes each connection once {@code bytes} bytes passed in {@code direction}. */
  public void limitData(String link, long bytes, Direction direction) {
    addToxics(
        link,
        "limit_data",
        direction,
        (toxics, stream, name) -> toxics.limitData(name, stream, bytes));
  }

  /**
   * Injects one network fault of a scenario on every proxy of its link. A {@code down} partition
   * disables the link; every other fault adds toxics named after its kind and direction.
   */
  public synchronized void inject(Fault.Network fault) {
    String link = fault.link().cliName();
    Direction direction = fault.direction();
    switch (fault.kind()) {
      case PARTITION -> {
        if (((Fault.Partition) fault).mode() == Fault.PartitionMode.DOWN) {
          disable(link);
        } else {
          partition(link, direction);
        }
      }
      case LONG_OUTAGE -> partition(link, direction);
      case LATENCY -> {
        Fault.Latency l = (Fault.Latency) fault;
        latency(link, l.delay().toMillis(), l.jitter().toMillis(), direction);
      }
      case BANDWIDTH -> bandwidth(link, ((Fault.Bandwidth) fault).kilobytesPerSecond(), direction);
      case RESET_PEER -> resetPeer(link, ((Fault.ResetPeer) fault).timeout().toMillis(), direction);
      case SLOW_CLOSE -> slowClose(link, ((Fault.SlowClose) fault).delay().toMillis(), direction);
      case LIMIT_DATA -> limitData(link, ((Fault.LimitData) fault).bytes(), direction);
      default -> throw new IllegalArgumentException("not a network fault: " + fault);
    }
  }

  /**
   * The toxics of a fault are named after the toxic they add: a long outage is a blackhole
   * partition that lasts.
   */
  private static String toxicPrefix(Fault.Network fault) {
    return switch (fault.kind()) {
      case LONG_OUTAGE, PARTITION -> "partition";
      case LATENCY -> "latency";
      case BANDWIDTH -> "bandwidth";
      case RESET_PEER -> "reset_peer";
      case SLOW_CLOSE -> "slow_close";
      case LIMIT_DATA -> "limit_data";
      case KILL,
          PAUSE,
          RESTART,
          CRASH,
          DUPLICATE,
          REORDER,
          REDELIVER,
          SCHEMA_DRIFT,
          SLOW_COMMIT,
          POISON,
          RESET_OFFSETS,
          RECREATE_TOPIC,
          ZOMBIE_CONSUMER,
          DDL,
          CLOCK_SKEW,
          DISK_FULL,
          LONG_PAUSE,
          UNCLEAN_LEADER_ELECTION ->
          throw new IllegalArgumentException(fault.kind().key() + " is not a network fault");
    };
  }

  /**
   * Ends one fault injected with {@link #inject}: removes exactly its toxics (other faults on the
   * link stay), or enables the link again after a {@code down} partition.
   */
  public synchronized void clear(Fault.Network fault) {
    String link = fault.link().cliName();
    if (fault instanceof Fault.Partition p && p.mode() == Fault.PartitionMode.DOWN) {
      enable(link);
      return;
    }
    String prefix = toxicPrefix(fault);
    for (Proxy proxy : proxies(link)) {
      for (ToxicDirection stream : streams(fault.direction())) {
        removeIfPresent(proxy, toxicName(prefix, stream));
      }
    }
  }

  /** Disables the link's proxies: open connections are closed, new ones are refused. */
  public synchronized void disable(String link) {
    for (Proxy proxy : proxies(link)) {
      act("disable " + proxy.getName(), () -> proxy.disable());
    }
  }

  /** Enables the link's proxies again. */
  public synchronized void enable(String link) {
    for (Proxy proxy : proxies(link)) {
      act("enable " + proxy.getName(), () -> proxy.enable());
    }
  }

  /** Removes every toxic of the link and enables it. */
  public synchronized void heal(String link) {
    for (Proxy proxy : proxies(link)) {
      List<? extends Toxic> toxics =
          call("list toxics of " + proxy.getName(), () -> proxy.toxics().getAll());
      for (Toxic toxic : toxics) {
        act("remove toxic " + toxic.getName() + " of " + proxy.getName(), () -> toxic.remove());
      }
      act("enable " + proxy.getName(), () -> proxy.enable());
    }
  }

  /** Heals every link. */
  public synchronized void healAll() {
    for (String link : links()) {
      heal(link);
    }
  }

  /** Deletes the proxies this instance created; the Toxiproxy server itself keeps running. */
  @Override
  public synchronized void close() {
    for (List<Proxy> proxies : links.values()) {
      for (Proxy proxy : proxies) {
        try {
          proxy.delete();
        } catch (IOException e) {
          // already gone (server closed or proxy deleted): nothing left to release
        }
      }
    }
    links.clear();
  }

  /** A URL-safe proxy name: {@code consumer->kafka}, 2 gives {@code consumer_to_kafka_2}. */
  static String proxyName(String link, int index) {
    String safe =
        link.trim().toLowerCase(Locale.ROOT).replace("->", "_to_").replaceAll("[^a-z0-9_.-]+", "_");
    return safe + "_" + index;
  }

  private static String hostPort(String host, int port) {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private synchronized List<Proxy> proxies(String link) {
    List<Proxy> proxies = links.get(link);
    if (proxies == null) {
      throw new BadInputException(
          "unknown link '" + link + "'; known links: " + String.join(", ", links.keySet()));
    }
    return List.copyOf(proxies);
  }

  private synchronized void addToxics(
      String link, String fault, Direction direction, ToxicAdder adder) {
    for (Proxy proxy : proxies(link)) {
      for (ToxicDirection stream : streams(direction)) {
        String name = toxicName(fault, stream);
        removeIfPresent(proxy, name);
        call(
            "add " + name + " to " + proxy.getName(),
            () -> adder.add(proxy.toxics(), stream, name));
      }
    }
  }

  private static List<ToxicDirection> streams(Direction direction) {
    return switch (direction) {
      case UPSTREAM -> List.of(ToxicDirection.UPSTREAM);
      case DOWNSTREAM -> List.of(ToxicDirection.DOWNSTREAM);
      case BOTH -> List.of(ToxicDirection.UPSTREAM, ToxicDirection.DOWNSTREAM);
    };
  }

  private static String toxicName(String fault, ToxicDirection stream) {
    return fault + "_" + stream.name().toLowerCase(Locale.ROOT);
  }

  private void removeIfPresent(Proxy proxy, String toxicName) {
    List<? extends Toxic> toxics =
        call("list toxics of " + proxy.getName(), () -> proxy.toxics().getAll());
    for (Toxic toxic : toxics) {
      if (toxic.getName().equals(toxicName)) {
        act("remove toxic " + toxicName + " of " + proxy.getName(), () -> toxic.remove());
      }
    }
  }

  private <T> T call(String what, IoCall<T> call) {
    try {
      return call.run();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Toxiproxy at " + endpoint + ": " + what + " failed: " + e.getMessage(), e);
    }
  }

  private void act(String what, IoAction action) {
    call(
        what,
        () -> {
          action.run();
          return null;
        });
  }

  @FunctionalInterface
  private interface ToxicAdder {
    Object add(ToxicList toxics, ToxicDirection stream, String toxicName) throws IOException;
  }

  @FunctionalInterface
  private interface IoCall<T> {
    T run() throws IOException;
  }

  @FunctionalInterface
  private interface IoAction {
    void run() throws IOException;
  }
}
