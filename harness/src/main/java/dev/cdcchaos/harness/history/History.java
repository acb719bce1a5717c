package dev.cdcchaos.harness.history;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The recorder of a run's history, shared by writers, the nemesis and the harness threads. Every
 * operation is appended at once with the next index and the time since the run started (from an
 * injected clock, so tests control it); the order of {@link #ops()} is the order of recording.
 *
 * <p>An invoked operation completes exactly once with {@link #ok}, {@link #fail} or {@link #info}
 * (outcome unknown); whatever is still open when the run ends is closed by {@link
 * #closePending(Map)} as info, as Jepsen does for operations that never returned.
 */
public final class History {

  /** An invoked operation waiting for its completion. */
  public record Handle(long index, String process, String f) {}

  private final LongSupplier nanoTime;
  private final List<Op> ops = new ArrayList<>();
  private final Map<Long, Handle> pending = new java.util.LinkedHashMap<>();

  /**
   * A history whose op times are what {@code runClock} reads: nanoseconds since the run started,
   * e.g. {@code () -> System.nanoTime() - t0} with {@code t0} taken when the run started, so that
   * the history shares its time origin with everything else the run measures (progress samples,
   * fault spans).
   */
  public History(LongSupplier runClock) {
    this.nanoTime = runClock;
  }

  /** A history whose times count from now on {@code nanoTime} (e.g. {@code System::nanoTime}). */
  public static History startingNow(LongSupplier nanoTime) {
    long start = nanoTime.getAsLong();
    return new History(() -> nanoTime.getAsLong() - start);
  }

  /** Records the start of an operation; complete it with the returned handle. */
  public synchronized Handle invoke(String process, String f, Map<String, Object> value) {
    Op op = append(process, Op.Type.INVOKE, f, value);
    Handle handle = new Handle(op.index(), process, f);
    pending.put(op.index(), handle);
    return handle;
  }

  /** The operation succeeded. */
  public Op ok(Handle handle, Map<String, Object> value) {
    return complete(handle, Op.Type.OK, value);
  }

  /** The operation certainly did not take effect. */
  public Op fail(Handle handle, Map<String, Object> value) {
    return complete(handle, Op.Type.FAIL, value);
  }

  /** The outcome is unknown (e.g. the connection dropped before the commit was acknowledged). */
  public Op info(Handle handle, Map<String, Object> value) {
    return complete(handle, Op.Type.INFO, value);
  }

  /** Records something that happened at one instant (a fault healed by itself, a progress mark). */
  public synchronized Op note(String process, String f, Map<String, Object> value) {
    return append(process, Op.Type.INFO, f, value);
  }

  /** Closes every open operation as info with {@code value}; returns how many were open. */
  public synchronized int closePending(Map<String, Object> value) {
    List<Handle> open = new ArrayList<>(pending.values());
    for (Handle h : open) {
      complete(h, Op.Type.INFO, value);
    }
    return open.size();
  }

  /** The operations invoked and not completed yet. */
  public synchronized List<Handle> pending() {
    return List.copyOf(pending.values());
  }

  /** A snapshot of every operation so far, in recording order. */
  public synchronized List<Op> ops() {
    return List.copyOf(ops);
  }

  private synchronized Op complete(Handle handle, Op.Type type, Map<String, Object> value) {
    if (pending.remove(handle.index()) == null) {
      throw new IllegalStateException(
          "operation "
              + handle.index()
              + " ("
              + handle.process()
              + " "
              + handle.f()
              + ") was already completed or never invoked here");
    }
    return append(handle.process(), type, handle.f(), value);
  }

  private Op append(String process, Op.Type type, String f, Map<String, Object> value) {
    Op op = new Op(ops.size(), nanoTime.getAsLong(), process, type, f, value);
    ops.add(op);
    return op;
  }
}
