package dev.cdcchaos.harness.net;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one proxy did since it was created: connections, bytes each way, connections closed by a
 * disable, and per toxic name what that toxic did. Counters only grow (a toxic removed and added
 * again under the same name keeps counting), so the harness proves a fault took effect by the
 * difference between two reads. Served by {@link ToxiproxyServer} at {@code GET /counters}, which
 * real Toxiproxy does not have.
 */
final class ProxyCounters {
  final AtomicLong connections = new AtomicLong();
  final AtomicLong bytesUpstream = new AtomicLong();
  final AtomicLong bytesDownstream = new AtomicLong();
  final AtomicLong cutByDisable = new AtomicLong();
  private final Map<String, ToxicCounters> toxics = new ConcurrentHashMap<>();

  /** The counters of the toxic named {@code name}, created at its first use. */
  ToxicCounters toxic(String name) {
    return toxics.computeIfAbsent(name, n -> new ToxicCounters());
  }

  /** Counts {@code bytes} read from the client (upstream) or from the server (downstream). */
  void read(StreamDirection direction, long bytes) {
    (direction == StreamDirection.UPSTREAM ? bytesUpstream : bytesDownstream).addAndGet(bytes);
  }

  /** The counters now, toxics by name. */
  LinkCounters snapshot() {
    Map<String, LinkCounters.ToxicCounts> byName = new LinkedHashMap<>();
    toxics.forEach((name, c) -> byName.put(name, c.snapshot()));
    return new LinkCounters(
        connections.get(), bytesUpstream.get(), bytesDownstream.get(), cutByDisable.get(), byName);
  }

  /**
   * What one toxic did, over every connection it was installed on. A connection counts once in
   * {@code connections}, the first time the toxic acted on it.
   */
  static final class ToxicCounters {
    final AtomicLong connections = new AtomicLong();
    final AtomicLong bytesDropped = new AtomicLong();
    final AtomicLong bytesDelayed = new AtomicLong();
    final AtomicLong connectionsCut = new AtomicLong();
    final AtomicLong connectionsReset = new AtomicLong();
    final AtomicLong closesDelayed = new AtomicLong();

    LinkCounters.ToxicCounts snapshot() {
      return new LinkCounters.ToxicCounts(
          connections.get(),
          bytesDropped.get(),
          bytesDelayed.get(),
          connectionsCut.get(),
          connectionsReset.get(),
          closesDelayed.get());
    }
  }
}
