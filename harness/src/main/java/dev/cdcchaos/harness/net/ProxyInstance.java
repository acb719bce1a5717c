package dev.cdcchaos.harness.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * One Toxiproxy proxy: a listener that, while enabled, accepts clients and joins each to a fresh
 * upstream connection, plus the toxics of both directions. API operations synchronize on the proxy;
 * the toxic chains and open connections are guarded by {@code connectionsLock}, the only lock the
 * accept thread takes, so {@code stop()} can wait for that thread without deadlock. Toxic changes
 * reach live connections at once.
 */
final class ProxyInstance {
  private static final int CONNECT_TIMEOUT_MILLIS = 10_000;

  private final String name;
  private final SplittableRandom random;
  private String listen;
  private volatile String upstream;
  private boolean enabled;
  private final Object connectionsLock = new Object();
  private final Map<StreamDirection, List<ToxicSpec>> toxics = new EnumMap<>(StreamDirection.class);
  private final Set<ProxiedConnection> connections = new LinkedHashSet<>();
  private volatile ServerSocket listener;
  private Thread acceptor;
  private long connectionCount;
  private final ProxyCounters counters = new ProxyCounters();

  ProxyInstance(String name, String listen, String upstream, SplittableRandom random) {
    this.name = name;
    this.listen = listen;
    this.upstream = upstream;
    this.random = random;
    for (StreamDirection direction : StreamDirection.values()) {
      toxics.put(direction, List.of());
    }
  }

  String name() {
    return name;
  }

  synchronized String listen() {
    return listen;
  }

  String upstream() {
    return upstream;
  }

  synchronized boolean enabled() {
    return enabled;
  }

  /** What this proxy did since it was created. */
  ProxyCounters counters() {
    return counters;
  }

  int connectionCount() {
    synchronized (connectionsLock) {
      return connections.size();
    }
  }

  /** Binds the listen address and starts accepting; a no-op when already enabled. */
  synchronized void start() {
    if (enabled) {
      return;
    }
    InetSocketAddress address = parseAddress(listen, "listen");
    ServerSocket socket;
    try {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(address, 128);
    } catch (IOException e) {
      throw new ApiException(
          500,
          "listen tcp " + listen + ": bind: " + e.getMessage().toLowerCase(java.util.Locale.ROOT));
    }
    listener = socket;
    listen = format(socket.getInetAddress(), socket.getLocalPort());
    enabled = true;
    acceptor = new Thread(() -> acceptLoop(socket), "toxiproxy-" + name + "-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /**
   * Closes the listener and every connection; a no-op when already disabled. Returns how many open
   * connections it closed.
   */
  synchronized int stop() {
    if (!enabled) {
      return 0;
    }
    enabled = false;
    try {
      listener.close();
    } catch (IOException e) {
      // closing a listener cannot fail in a way we could act on
    }
    listener = null;
    // The JDK releases a listening port only once the thread blocked in accept() has left it, so
    // wait for that thread before an update or enable binds the same port again.
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    acceptor = null;
    List<ProxiedConnection> open;
    synchronized (connectionsLock) {
      open = new ArrayList<>(connections);
      connections.clear();
    }
    for (ProxiedConnection connection : open) {
      connection.close();
    }
    return open.size();
  }

  /** Applies an update the way Toxiproxy does: a new address restarts, enabled toggles. */
  synchronized void update(String newListen, String newUpstream, boolean newEnabled) {
    if (!newListen.equals(listen) || !newUpstream.equals(upstream)) {
      parseAddress(newUpstream, "upstream");
      stop();
      listen = newListen;
      upstream = newUpstream;
    }
    if (newEnabled != enabled) {
      if (newEnabled) {
        start();
      } else {
        counters.cutByDisable.addAndGet(stop());
      }
    }
  }

  List<ToxicSpec> toxics() {
    List<ToxicSpec> all = new ArrayList<>();
    synchronized (connectionsLock) {
      for (StreamDirection direction : StreamDirection.values()) {
        all.addAll(toxics.get(direction));
      }
    }
    return all;
  }

  synchronized ToxicSpec toxic(String toxicName) {
    for (ToxicSpec spec : toxics()) {
      if (spec.name().equals(toxicName)) {
        return spec;
      }
    }
    return null;
  }

  synchronized void addToxic(ToxicSpec spec) {
    if (toxic(spec.name()) != null) {
      throw new ApiException(409, "toxic already exists");
    }
    List<ToxicSpec> chain = new ArrayList<>(chain(spec.stream()));
    chain.add(spec);
    install(spec.stream(), chain);
  }

  synchronized ToxicSpec updateToxic(String toxicName, ToxicSpec updated) {
    ToxicSpec existing = toxic(toxicName);
    if (existing == null) {
      throw ApiException.toxicNotFound();
    }
    List<ToxicSpec> chain = new ArrayList<>(chain(existing.stream()));
    chain.set(chain.indexOf(existing), updated);
    install(existing.stream(), chain);
    return updated;
  }

  synchronized void removeToxic(String toxicName) {
    ToxicSpec existing = toxic(toxicName);
    if (existing == null) {
      throw ApiException.toxicNotFound();
    }
    List<ToxicSpec> chain = new ArrayList<>(chain(existing.stream()));
    chain.remove(existing);
    install(existing.stream(), chain);
  }

  synchronized void removeAllToxics() {
    for (StreamDirection direction : StreamDirection.values()) {
      install(direction, List.of());
    }
  }

  private List<ToxicSpec> chain(StreamDirection direction) {
    synchronized (connectionsLock) {
      return toxics.get(direction);
    }
  }

  private void install(StreamDirection direction, List<ToxicSpec> chain) {
    synchronized (connectionsLock) {
      toxics.put(direction, List.copyOf(chain));
      for (ProxiedConnection connection : connections) {
        connection.setChain(direction, toxics.get(direction));
      }
    }
  }

  private void acceptLoop(ServerSocket socket) {
    while (!socket.isClosed()) {
      Socket client;
      try {
        client = socket.accept();
      } catch (IOException e) {
        return; // listener closed by stop()
      }
      connect(socket, client);
    }
  }

  private void connect(ServerSocket acceptedOn, Socket client) {
    String target = upstream;
    Socket server = new Socket();
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(parseAddress(target, "upstream"), CONNECT_TIMEOUT_MILLIS);
    } catch (IOException | ApiException e) {
      // Toxiproxy closes the client when the upstream cannot be reached
      Pipe.closeQuietly(server);
      Pipe.closeQuietly(client);
      return;
    }
    synchronized (connectionsLock) {
      if (listener != acceptedOn) {
        Pipe.closeQuietly(server);
        Pipe.closeQuietly(client);
        return;
      }
      connectionCount++;
      counters.connections.incrementAndGet();
      ProxiedConnection connection =
          new ProxiedConnection(
              "toxiproxy-" + name + "-" + connectionCount,
              client,
              server,
              random.split(),
              counters,
              toxics.get(StreamDirection.UPSTREAM),
              toxics.get(StreamDirection.DOWNSTREAM),
              this::forget);
      connections.add(connection);
      connection.start();
    }
  }

  private void forget(ProxiedConnection connection) {
    synchronized (connectionsLock) {
      connections.remove(connection);
    }
  }

  /** Parses {@code host:port} or {@code [v6]:port}; an empty host means loopback. */
  static InetSocketAddress parseAddress(String address, String field) {
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      throw new ApiException(
          400, "bad request body: " + field + " address " + address + " is not host:port");
    }
    String host = address.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(address.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new ApiException(
          400, "bad request body: " + field + " address " + address + " has no numeric port");
    }
    if (port < 0 || port > 65535) {
      throw new ApiException(400, "bad request body: " + field + " port out of range: " + address);
    }
    try {
      InetAddress inet =
          host.isEmpty() ? InetAddress.getLoopbackAddress() : InetAddress.getByName(host);
      return new InetSocketAddress(inet, port);
    } catch (UnknownHostException e) {
      throw new ApiException(400, "bad request body: " + field + " host unknown: " + address);
    }
  }

  private static String format(InetAddress address, int port) {
    String host = address.getHostAddress();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
