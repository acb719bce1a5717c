package dev.cdcchaos.harness.net;

import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One accepted client connection and its upstream connection, joined by two {@link Pipe}s. */
final class ProxiedConnection {
  private final Socket client;
  private final Socket upstream;
  private final Pipe upstreamPipe;
  private final Pipe downstreamPipe;
  private final AtomicInteger pipesRunning = new AtomicInteger(2);
  private final Consumer<ProxiedConnection> onClosed;

  ProxiedConnection(
      String name,
      Socket client,
      Socket upstream,
      SplittableRandom random,
      ProxyCounters counters,
      List<ToxicSpec> upstreamChain,
      List<ToxicSpec> downstreamChain,
      Consumer<ProxiedConnection> onClosed) {
    this.client = client;
    this.upstream = upstream;
    this.onClosed = onClosed;
    this.upstreamPipe =
        new Pipe(
            name + "-up",
            StreamDirection.UPSTREAM,
            client,
            upstream,
            this,
            random.split(),
            counters,
            upstreamChain);
    this.downstreamPipe =
        new Pipe(
            name + "-down",
            StreamDirection.DOWNSTREAM,
            upstream,
            client,
            this,
            random.split(),
            counters,
            downstreamChain);
  }

  void start() {
    upstreamPipe.start();
    downstreamPipe.start();
  }

  void setChain(StreamDirection direction, List<ToxicSpec> chain) {
    (direction == StreamDirection.UPSTREAM ? upstreamPipe : downstreamPipe).setChain(chain);
  }

  /** Closes both sockets, which ends both pipes; used when a proxy is disabled or deleted. */
  void close() {
    upstreamPipe.abort();
    downstreamPipe.abort();
    closeSockets();
  }

  void closeSockets() {
    Pipe.closeQuietly(client);
    Pipe.closeQuietly(upstream);
  }

  /** Closes both sockets with SO_LINGER 0, so both peers get a TCP RST instead of a FIN. */
  void reset() {
    for (Socket socket : List.of(client, upstream)) {
      try {
        socket.setSoLinger(true, 0);
      } catch (SocketException e) {
        // already closed: nothing to reset
      }
    }
    closeSockets();
  }

  void pipeDone() {
    if (pipesRunning.decrementAndGet() == 0) {
      closeSockets();
      onClosed.accept(this);
    }
  }
}
