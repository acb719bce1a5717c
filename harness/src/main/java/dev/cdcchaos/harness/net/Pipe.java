package dev.cdcchaos.harness.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One direction of a proxied connection: a reader thread moves bytes from the source socket into a
 * bounded buffer, a writer thread passes each chunk through the toxic chain of this direction and
 * writes it to the destination socket. The chain can change while the connection lives; waits in
 * the writer wake up when it does.
 *
 * <p>Every toxic counts what it does to the data in the proxy's {@link ProxyCounters} (bytes
 * dropped or held back, connections cut, reset or slowly closed), the evidence that a network fault
 * took effect.
 *
 * <p>Closing follows Toxiproxy: when a direction ends (end of stream, a toxic closing it, an I/O
 * error) its destination socket is closed as a whole, which ends the other direction in turn.
 */
final class Pipe {
  private static final int READ_SIZE = 32 * 1024;
  private static final long MAX_BUFFERED_BYTES = 1L << 20;

  private final String name;
  private final StreamDirection direction;
  private final ProxyCounters counters;
  private final Socket source;
  private final Socket destination;
  private final ProxiedConnection connection;
  private final SplittableRandom random;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
  private long bufferedBytes;
  private boolean endOfStream;
  private boolean aborted;
  private List<Stage> stages = List.of();

  Pipe(
      String name,
      StreamDirection direction,
      Socket source,
      Socket destination,
      ProxiedConnection connection,
      SplittableRandom random,
      ProxyCounters counters,
      List<ToxicSpec> chain) {
    this.name = name;
    this.direction = direction;
    this.counters = counters;
    this.source = source;
    this.destination = destination;
    this.connection = connection;
    this.random = random;
    setChain(chain);
  }

  void start() {
    Thread reader = new Thread(this::readLoop, name + "-read");
    Thread writer = new Thread(this::writeLoop, name + "-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  /**
   * Installs the toxic chain of this direction. Toxics kept by name keep their per-connection state
   * (whether they apply, bytes counted); a removed {@code timeout} toxic that applied closes the
   * connection, as Toxiproxy does, because the data it dropped would corrupt the stream.
   */
  void setChain(List<ToxicSpec> chain) {
    lock.lock();
    try {
      Map<String, Stage> previous = new HashMap<>();
      for (Stage stage : stages) {
        previous.put(stage.spec.name(), stage);
      }
      List<Stage> next = new ArrayList<>(chain.size());
      long now = System.nanoTime();
      for (ToxicSpec spec : chain) {
        Stage stage = previous.remove(spec.name());
        if (stage == null) {
          stage =
              new Stage(
                  spec, random.nextFloat() < spec.toxicity(), now, counters.toxic(spec.name()));
        } else if (!stage.spec.equals(spec)) {
          if (stage.spec.toxicity() != spec.toxicity()) {
            stage.applies = random.nextFloat() < spec.toxicity();
          }
          stage.spec = spec;
          stage.startedNanos = now;
        }
        next.add(stage);
      }
      for (Stage removed : previous.values()) {
        removed.removed = true;
        if (removed.applies && removed.spec.kind() == ToxicKind.TIMEOUT) {
          if (removed.acted) {
            // only a connection the blackhole stalled is cut by its removal: an idle one that
            // never sent a byte through it was not hurt by it
            removed.counters.connectionsCut.incrementAndGet();
          }
          aborted = true;
          connection.closeSockets();
        }
      }
      stages = List.copyOf(next);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Stops both threads soon; the caller closes the sockets, which unblocks their I/O. */
  void abort() {
    lock.lock();
    try {
      aborted = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private void readLoop() {
    byte[] buffer = new byte[READ_SIZE];
    try {
      InputStream in = source.getInputStream();
      while (true) {
        int read = in.read(buffer);
        if (read < 0) {
          break;
        }
        counters.read(direction, read);
        if (!offer(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime()))) {
          break;
        }
      }
    } catch (IOException | InterruptedException e) {
      // the socket was closed or reset: this direction's input ends here, as on end of stream
    } finally {
      lock.lock();
      try {
        endOfStream = true;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private boolean offer(Chunk chunk) throws InterruptedException {
    lock.lock();
    try {
      while (bufferedBytes >= MAX_BUFFERED_BYTES && !aborted) {
        changed.await();
      }
      if (aborted) {
        return false;
      }
      chunks.add(chunk);
      bufferedBytes += chunk.data.length;
      changed.signalAll();
      return true;
    } finally {
      lock.unlock();
    }
  }

  private void writeLoop() {
    boolean reset = false;
    try {
      OutputStream out = destination.getOutputStream();
      while (true) {
        Taken taken = take();
        if (taken.chunk == null) {
          passEndOfStream(taken.stages);
          break;
        }
        pass(out, taken.chunk.data, taken.chunk.readNanos, taken.stages, 0);
      }
    } catch (Closed closed) {
      reset = closed.reset;
    } catch (IOException | InterruptedException e) {
      // destination gone or shutting down: close like any other end
    } finally {
      if (reset) {
        connection.reset();
      } else {
        closeQuietly(destination);
      }
      connection.pipeDone();
    }
  }

  private Taken take() throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long timeoutDeadline = checkAlive();
        Chunk chunk = chunks.poll();
        if (chunk != null) {
          bufferedBytes -= chunk.data.length;
          changed.signalAll();
          return new Taken(chunk, stages);
        }
        if (endOfStream) {
          return new Taken(null, stages);
        }
        await(timeoutDeadline);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Throws {@link Closed} when the pipe must end now: aborted, or an applying {@code timeout} toxic
   * with a positive timeout has run out. Otherwise returns the nearest such deadline, or {@code
   * Long.MAX_VALUE}. Call with the lock held.
   */
  private long checkAlive() {
    if (aborted) {
      throw new Closed(false);
    }
    long nearest = Long.MAX_VALUE;
    long now = System.nanoTime();
    for (Stage stage : stages) {
      if (stage.applies && !stage.removed && stage.spec.kind() == ToxicKind.TIMEOUT) {
        long timeoutMillis = stage.spec.attribute("timeout");
        if (timeoutMillis > 0) {
          long deadline = stage.startedNanos + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
          if (deadline - now <= 0) {
            stage.acted();
            stage.counters.connectionsCut.incrementAndGet();
            throw new Closed(false);
          }
          nearest = Math.min(nearest, deadline);
        }
      }
    }
    return nearest;
  }

  private void await(long deadline) throws InterruptedException {
    if (deadline == Long.MAX_VALUE) {
      changed.await();
    } else {
      changed.awaitNanos(deadline - System.nanoTime());
    }
  }

  /** Waits until {@code deadline} (nanoTime), returning early when {@code stage} is removed. */
  private void waitUntil(long deadline, Stage stage) throws InterruptedException {
    lock.lock();
    try {
      while (true) {
        long timeoutDeadline = checkAlive();
        long now = System.nanoTime();
        if (stage.removed || deadline - now <= 0) {
          return;
        }
        changed.awaitNanos(Math.min(deadline - now, timeoutDeadline - now));
      }
    } finally {
      lock.unlock();
    }
  }

  private void pass(OutputStream out, byte[] data, long readNanos, List<Stage> chain, int from)
      throws IOException, InterruptedException {
    for (int index = from; index < chain.size(); index++) {
      Stage stage = chain.get(index);
      if (!stage.applies || stage.removed) {
        continue;
      }
      ToxicSpec spec = stage.spec;
      switch (spec.kind()) {
        case LATENCY -> {
          long due = readNanos + latencyNanos(spec);
          if (due - System.nanoTime() > 0) {
            stage.acted();
            stage.counters.bytesDelayed.addAndGet(data.length);
          }
          waitUntil(due, stage);
        }
        case TIMEOUT -> {
          stage.acted();
          stage.counters.bytesDropped.addAndGet(data.length);
          return; // Toxiproxy drops the data on the ground
        }
        case RESET_PEER -> {
          long timeout = TimeUnit.MILLISECONDS.toNanos(spec.attribute("timeout"));
          waitUntil(System.nanoTime() + timeout, stage);
          if (!stage.removed) {
            stage.acted();
            stage.counters.connectionsReset.incrementAndGet();
            throw new Closed(true);
          }
        }
        case SLOW_CLOSE -> {
          // acts only on end of stream
        }
        case LIMIT_DATA -> {
          limitData(out, data, readNanos, chain, index, stage);
          return;
        }
        case SLICER -> {
          slice(out, data, readNanos, chain, index, stage);
          return;
        }
        case BANDWIDTH -> {
          long rate = spec.attribute("rate");
          if (rate > 0) {
            throttle(out, data, readNanos, chain, index, stage, rate);
            return;
          }
        }
        default -> throw new IllegalStateException("unhandled toxic " + spec.kind());
      }
    }
    out.write(data);
  }

  private long latencyNanos(ToxicSpec spec) {
    long delay = spec.attribute("latency");
    long jitter = spec.attribute("jitter");
    if (jitter > 0) {
      lock.lock();
      try {
        delay += random.nextLong(jitter * 2) - jitter;
      } finally {
        lock.unlock();
      }
    }
    return TimeUnit.MILLISECONDS.toNanos(Math.max(0, delay));
  }

  private void limitData(
      OutputStream out, byte[] data, long readNanos, List<Stage> chain, int index, Stage stage)
      throws IOException, InterruptedException {
    long limit = stage.spec.attribute("bytes");
    long remaining = limit - stage.transmitted;
    if (remaining <= 0) {
      cutAtLimit(stage, data.length);
    }
    byte[] allowed = data.length > remaining ? Arrays.copyOf(data, (int) remaining) : data;
    pass(out, allowed, readNanos, chain, index + 1);
    stage.transmitted += allowed.length;
    if (stage.transmitted >= limit) {
      cutAtLimit(stage, data.length - allowed.length);
    }
  }

  private static void cutAtLimit(Stage stage, long droppedBytes) {
    stage.acted();
    stage.counters.bytesDropped.addAndGet(droppedBytes);
    stage.counters.connectionsCut.incrementAndGet();
    throw new Closed(false);
  }

  private void slice(
      OutputStream out, byte[] data, long readNanos, List<Stage> chain, int index, Stage stage)
      throws IOException, InterruptedException {
    ToxicSpec spec = stage.spec;
    List<Integer> cuts = new ArrayList<>();
    lock.lock();
    try {
      chunkOffsets(
          0,
          data.length,
          Math.max(1, spec.attribute("average_size")),
          Math.max(0, spec.attribute("size_variation")),
          cuts);
    } finally {
      lock.unlock();
    }
    long delay = TimeUnit.MICROSECONDS.toNanos(spec.attribute("delay"));
    for (int i = 1; i < cuts.size(); i += 2) {
      pass(
          out, Arrays.copyOfRange(data, cuts.get(i - 1), cuts.get(i)), readNanos, chain, index + 1);
      if (i + 1 < cuts.size() && delay > 0) {
        waitUntil(System.nanoTime() + delay, stage);
      }
    }
  }

  /** Toxiproxy's slicer: halve around the middle (+/- variation) until pieces are small enough. */
  private void chunkOffsets(int start, int end, long average, long variation, List<Integer> out) {
    if ((end - start) - average <= variation) {
      out.add(start);
      out.add(end);
      return;
    }
    long offset = variation > 0 ? random.nextLong(variation * 2) - variation : 0;
    int mid = (int) Math.max(start + 1, Math.min(end - 1, start + (end - start) / 2 + offset));
    chunkOffsets(start, mid, average, variation, out);
    chunkOffsets(mid, end, average, variation, out);
  }

  /** Sends at {@code rate} KB/s (1 KB = 1000 bytes), in pieces of at most 100 ms worth of data. */
  private void throttle(
      OutputStream out,
      byte[] data,
      long readNanos,
      List<Stage> chain,
      int index,
      Stage stage,
      long rate)
      throws IOException, InterruptedException {
    int piece = (int) Math.max(1, Math.min(data.length, rate * 100));
    for (int offset = 0; offset < data.length; offset += piece) {
      int end = Math.min(data.length, offset + piece);
      long now = System.nanoTime();
      stage.nextFreeNanos = Math.max(stage.nextFreeNanos, now) + (end - offset) * 1_000_000L / rate;
      if (stage.nextFreeNanos - now > 0) {
        stage.acted();
        stage.counters.bytesDelayed.addAndGet(end - offset);
      }
      waitUntil(stage.nextFreeNanos, stage);
      pass(out, Arrays.copyOfRange(data, offset, end), readNanos, chain, index + 1);
    }
  }

  private void passEndOfStream(List<Stage> chain) throws InterruptedException {
    for (Stage stage : chain) {
      if (stage.applies && !stage.removed && stage.spec.kind() == ToxicKind.SLOW_CLOSE) {
        long delay = TimeUnit.MILLISECONDS.toNanos(stage.spec.attribute("delay"));
        if (delay > 0) {
          stage.acted();
          stage.counters.closesDelayed.incrementAndGet();
        }
        waitUntil(System.nanoTime() + delay, stage);
      }
    }
  }

  static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed or reset; nothing left to release
    }
  }

  private record Chunk(byte[] data, long readNanos) {}

  private record Taken(Chunk chunk, List<Stage> stages) {}

  /**
   * A toxic on this pipe plus its per-connection state. The volatile fields change under the pipe
   * lock (chain updates) and are read by the writer without it; the others belong to the writer.
   */
  private static final class Stage {
    volatile ToxicSpec spec;
    volatile boolean applies;
    volatile boolean removed;
    volatile long startedNanos;
    volatile boolean acted;
    final ProxyCounters.ToxicCounters counters;
    long transmitted;
    long nextFreeNanos = Long.MIN_VALUE;

    Stage(
        ToxicSpec spec, boolean applies, long startedNanos, ProxyCounters.ToxicCounters counters) {
      this.spec = spec;
      this.applies = applies;
      this.startedNanos = startedNanos;
      this.counters = counters;
    }

    /** Counts this connection once for the toxic, the first time the toxic acts on it. */
    void acted() {
      if (!acted) {
        acted = true;
        counters.connections.incrementAndGet();
      }
    }
  }

  /** Ends this direction: a plain close, or a reset (RST) of the whole connection. */
  private static final class Closed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final boolean reset;

    Closed(boolean reset) {
      super(null, null, false, false);
      this.reset = reset;
    }
  }
}
