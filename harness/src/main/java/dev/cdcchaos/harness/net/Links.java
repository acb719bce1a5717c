package dev.cdcchaos.harness.net;

import dev.cdcchaos.harness.BadInputException;
import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The harness's named network links ({@code writer->postgres}, {@code consumer->kafka}, ...), each
 * made of one or more Toxiproxy proxies (one per Kafka broker, say), and the network faults of the
 * fault vocabulary applied to all proxies of a link at once. Talks to Toxiproxy only through
 * toxiproxy-java, so it drives our {@link ToxiproxyServer} and a real Toxiproxy alike.
 *
 * <p>Toxic names are fixed per fault and direction ({@code partition_upstream}, ...); applying a
 * fault again replaces its toxics with the new values.
 */
public final class Links implements AutoCloseable {
  /** Link names the harness uses. */
  public static final String WRITER_TO_POSTGRES = "writer->postgres";

  public static final String PUBLISHER_TO_POSTGRES = "publisher->postgres";
  public static final String PUBLISHER_TO_KAFKA = "publisher->kafka";
  public static final String CONSUMER_TO_KAFKA = "consumer->kafka";

  private static final String LISTEN_HOST = "127.0.0.1";

  private final String endpoint;
  private final ToxiproxyClient client;
  private final Map<String, List<Proxy>> links = new LinkedHashMap<>();

  public Links(String toxiproxyHost, int toxiproxyPort) {
    this.endpoint = toxiproxyHost + ":" + toxiproxyPort;
    this.client = new ToxiproxyClient(toxiproxyHost, toxiproxyPort);
  }

  /**
   * Creates a proxy for {@code link} to {@code upstreamHost:upstreamPort} listening on a free
   * loopback port, and returns that port; clients of the link connect there instead of upstream.
   */
  public synchronized int route(String link, String upstreamHost, int upstreamPort) {
    if (link == null || link.isBlank()) {
      throw new BadInputException("a link needs a name, e.g. consumer->kafka");
    }
    List<Proxy> proxies = links.computeIfAbsent(link, name -> new ArrayList<>());
    String name = proxyName(link, proxies.size() + 1);
    Proxy proxy =
        call(
            "create proxy " + name,
            () ->
                client.createProxy(name, LISTEN_HOST + ":0", hostPort(upstreamHost, upstreamPort)));
    proxies.add(proxy);
    String listen = proxy.getListen();
    return Integer.parseInt(listen.substring(listen.lastIndexOf(':') + 1));
  }

  /** The links routed so far, in the order they were first routed. */
  public synchronized Set<String> links() {
    return Collections.unmodifiableSet(new LinkedHashSet<>(links.keySet()));
  }

  /** Stops all data both ways; connections stay open (a blackhole) until the link heals. */
  public void partition(String link) {
    forEachProxy(
        link,
        "partition",
        (proxy, direction, toxicName) -> proxy.toxics().timeout(toxicName, direction, 0));
  }

  /** Delays every response (downstream) by {@code ms} +/- {@code jitterMs}. */
  public void latency(String link, long ms, long jitterMs) {
    forEachProxy(
        link,
        "latency",
        List.of(ToxicDirection.DOWNSTREAM),
        (proxy, direction, toxicName) ->
            proxy.toxics().latency(toxicName, direction, ms).setJitter(jitterMs));
  }

  /** Limits both directions to {@code kbPerSecond} KB/s (1 KB = 1000 bytes). */
  public void bandwidth(String link, long kbPerSecond) {
    forEachProxy(
        link,
        "bandwidth",
        (proxy, direction, toxicName) ->
            proxy.toxics().bandwidth(toxicName, direction, kbPerSecond));
  }

  /** Resets (TCP RST) each connection {@code timeoutMs} after it next carries data. */
  public void resetPeer(String link, long timeoutMs) {
    forEachProxy(
        link,
        "reset_peer",
        (proxy, direction, toxicName) -> proxy.toxics().resetPeer(toxicName, direction, timeoutMs));
  }

  /** Delays passing on a close (FIN) by {@code delayMs}, either way. */
  public void slowClose(String link, long delayMs) {
    forEachProxy(
        link,
        "slow_close",
        (proxy, direction, toxicName) -> proxy.toxics().slowClose(toxicName, direction, delayMs));
  }

  /** Closes each connection once {@code bytes} have passed in one direction. */
  public void limitData(String link, long bytes) {
    forEachProxy(
        link,
        "limit_data",
        (proxy, direction, toxicName) -> proxy.toxics().limitData(toxicName, direction, bytes));
  }

  /** Disables the link's proxies: open connections are closed, new ones are refused. */
  public void disable(String link) {
    for (Proxy proxy : proxies(link)) {
      act("disable " + proxy.getName(), () -> proxy.disable());
    }
  }

  /** Enables the link's proxies again. */
  public void enable(String link) {
    for (Proxy proxy : proxies(link)) {
      act("enable " + proxy.getName(), () -> proxy.enable());
    }
  }

  /** Removes every toxic of the link and enables it. */
  public void heal(String link) {
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
  public void healAll() {
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

  private void forEachProxy(String link, String fault, ToxicAdder adder) {
    forEachProxy(link, fault, List.of(ToxicDirection.UPSTREAM, ToxicDirection.DOWNSTREAM), adder);
  }

  private void forEachProxy(
      String link, String fault, List<ToxicDirection> directions, ToxicAdder adder) {
    for (Proxy proxy : proxies(link)) {
      for (ToxicDirection direction : directions) {
        String toxicName = fault + "_" + direction.name().toLowerCase(Locale.ROOT);
        removeIfPresent(proxy, toxicName);
        call(
            "add " + toxicName + " to " + proxy.getName(),
            () -> {
              adder.add(proxy, direction, toxicName);
              return null;
            });
      }
    }
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
    Object add(Proxy proxy, ToxicDirection direction, String toxicName) throws IOException;
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
