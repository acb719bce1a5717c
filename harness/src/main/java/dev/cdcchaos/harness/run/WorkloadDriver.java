package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.workload.SourceOp;
import dev.cdcchaos.harness.workload.Workload;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.source.Change;
import dev.cdcchaos.pipeline.source.OrderWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * Runs the generated source operations against Postgres with several concurrent writers at a target
 * rate, as the application would. Each operation is retried under a stable idempotency key until it
 * commits, so a commit whose acknowledgement was lost (a partition, a Postgres kill) is neither
 * lost nor written twice; such attempts are recorded as {@code info}.
 *
 * <p>With {@link #inProcesses(WriterProcesses)} the writers are child processes instead of threads
 * of this JVM; starting, counting, finishing and stopping then go to them.
 */
final class WorkloadDriver {
  private final History history;
  private final List<List<SourceOp>> perWriter;
  private final DataSource dataSource;
  private final int ratePerSecond;
  private final long seed;
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong drifted = new AtomicLong();
  private final CountDownLatch done;
  private final CommitStall stall;
  private final List<Thread> threads = new ArrayList<>();
  private final AtomicReference<String> failure = new AtomicReference<>();
  private volatile double driftFraction;
  private volatile boolean noteColumn;
  private volatile boolean wideCurrency;
  private final AtomicLong withNote = new AtomicLong();
  private final SkewClock[] clocks;
  private final java.util.concurrent.atomic.AtomicLongArray skewedEvents;
  private final java.util.concurrent.atomic.AtomicLongArray skewedOtherDate;
  private final AtomicLong wideCreates = new AtomicLong();
  private volatile boolean stopped;
  private WriterProcesses processes;

  WorkloadDriver(
      History history,
      List<SourceOp> ops,
      int writers,
      int ratePerSecond,
      DataSource dataSource,
      long seed,
      Consumer<String> progress) {
    this.history = history;
    this.perWriter = Workload.byWriter(ops, writers);
    this.dataSource = dataSource;
    this.ratePerSecond = ratePerSecond;
    this.seed = seed;
    this.done = new CountDownLatch(writers);
    this.clocks = new SkewClock[perWriter.size()];
    for (int w = 0; w < clocks.length; w++) {
      clocks[w] = new SkewClock();
    }
    this.skewedEvents = new java.util.concurrent.atomic.AtomicLongArray(clocks.length);
    this.skewedOtherDate = new java.util.concurrent.atomic.AtomicLongArray(clocks.length);
    this.stall = new CommitStall(writers, history, progress, System::nanoTime);
  }

  /**
   * The writers become the application upgraded for a schema change that was just applied: from
   * their next operation on, {@code add-column} fills {@code orders.note} and carries it in each
   * event as {@code state.note}; {@code widen-type} gives new orders currency codes only {@code
   * varchar(16)} holds.
   */
  void upgradedFor(dev.cdcchaos.harness.fault.Fault.DdlChange change) {
    switch (change) {
      case ADD_COLUMN -> noteColumn = true;
      case WIDEN_TYPE -> wideCurrency = true;
    }
  }

  /**
   * Operations committed in the shape {@code change} brought: events with {@code note}, or new
   * orders with a wide currency code.
   */
  long inNewShape(dev.cdcchaos.harness.fault.Fault.DdlChange change) {
    return switch (change) {
      case ADD_COLUMN -> withNote.get();
      case WIDEN_TYPE -> wideCreates.get();
    };
  }

  /** The currency code of a new order once the column is wide: one the old type cannot hold. */
  static String wideCurrency(String code) {
    return code + "-DIGITAL";
  }

  /** The wall clock moved by an offset the harness sets: a writer whose clock jumped. */
  static final class SkewClock extends Clock {
    private volatile long offsetMs;

    @Override
    public java.time.ZoneId getZone() {
      return java.time.ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      throw new UnsupportedOperationException("a writer's clock is UTC");
    }

    @Override
    public java.time.Instant instant() {
      return java.time.Instant.now().plusMillis(offsetMs);
    }

    long offsetMs() {
      return offsetMs;
    }
  }

  /** Runs the writers as {@code processes} instead of threads of this JVM; call before start. */
  void inProcesses(WriterProcesses processes) {
    this.processes = processes;
  }

  /** The writer processes, if the writers run as processes. */
  Optional<WriterProcesses> processes() {
    return Optional.ofNullable(processes);
  }

  /** The number of writers. */
  int writers() {
    return clocks.length;
  }

  /** Moves {@code writer}'s clock {@code offsetMs} away from the wall clock (0: back to it). */
  void skew(int writer, long offsetMs) {
    clocks[writer].offsetMs = offsetMs;
  }

  /** Events {@code writer} committed while its clock was moved. */
  long skewedEvents(int writer) {
    return skewedEvents.get(writer);
  }

  /** Of those, the ones whose UTC date is not the wall clock's at their commit. */
  long skewedOnAnotherDate(int writer) {
    return skewedOtherDate.get(writer);
  }

  /** Total number of operations. */
  long total() {
    return perWriter.stream().mapToLong(List::size).sum();
  }

  void start() {
    if (processes != null) {
      processes.start();
      return;
    }
    for (int w = 0; w < perWriter.size(); w++) {
      int writer = w;
      Thread t = new Thread(() -> runWriter(writer), "writer-" + w);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  /** Operations committed so far. */
  long committed() {
    return processes != null ? processes.committed() : committed.get();
  }

  long retries() {
    return processes != null ? processes.retries() : retries.get();
  }

  boolean finished() {
    return processes != null ? processes.finished() : done.getCount() == 0;
  }

  /**
   * Why a writer stopped before its last operation, other than {@link #stop()}: an error outside
   * the retried write (a harness bug). The run then did not do what its file says, and must not be
   * judged as if it had.
   */
  Optional<String> failure() {
    if (processes != null) {
      return processes.failure();
    }
    return Optional.ofNullable(failure.get());
  }

  boolean awaitFinished(long millis) throws InterruptedException {
    if (processes != null) {
      return dev.cdcchaos.harness.infra.Wait.upTo(
              java.time.Duration.ofMillis(millis), java.time.Duration.ofMillis(20))
          .until(processes::finished);
    }
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /**
   * Operations committed with payload fields a {@code schema-drift} fault added (the workload's own
   * {@code schema_drift_fraction} is not counted): the evidence that the fault took effect.
   */
  long drifted() {
    return drifted.get();
  }

  /** While above 0, that fraction of operations carries payload fields the schema does not know. */
  void schemaDrift(double fraction) {
    this.driftFraction = fraction;
  }

  /**
   * The next {@code writers} writers to commit keep their transaction open (outbox id taken) until
   * the returned heal runs or, with {@code untilOthersFinished}, every other writer finished; see
   * {@link CommitStall}.
   */
  CommitStall.Hold stallCommits(int writers, boolean untilOthersFinished) {
    return stall.hold(writers, untilOthersFinished);
  }

  void stop() {
    stopped = true;
    if (processes != null) {
      processes.stop();
    }
    stall.stop();
    for (Thread t : threads) {
      t.interrupt();
    }
  }

  private void runWriter(int writer) {
    List<SourceOp> ops = perWriter.get(writer);
    Random random = new Random(seed * 31 + writer);
    double perWriterRate = ratePerSecond <= 0 ? 0 : (double) ratePerSecond / perWriter.size();
    long start = System.nanoTime();
    try (OrderWriter orders =
        new OrderWriter(dataSource, clocks[writer], UUID::randomUUID, stall.hook(writer))) {
      for (int i = 0; i < ops.size() && !stopped; i++) {
        if (perWriterRate > 0) {
          long due = start + (long) (i * 1_000_000_000L / perWriterRate);
          long wait = due - System.nanoTime();
          if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
          }
        }
        SourceOp op = ops.get(i);
        Map<String, Object> extras = new HashMap<>(op.extras());
        boolean drift = driftFraction > 0 && random.nextDouble() < driftFraction;
        if (drift) {
          extras.putAll(Workload.driftFields(random));
        }
        boolean note = noteColumn;
        if (note) {
          orders.stateColumns(java.util.Set.of("note"));
          extras.put("state.note", "note of w" + writer + "-" + i);
        }
        boolean wide = wideCurrency && op instanceof SourceOp.Create;
        boolean skewed = clocks[writer].offsetMs() != 0;
        OrderEvent event =
            apply(orders, writer, op, new Change("w" + writer + "-" + i, extras), wide);
        boolean ok = event != null;
        if (ok && skewed) {
          skewedEvents.incrementAndGet(writer);
          java.time.LocalDate wall = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
          if (!java.time.LocalDate.ofInstant(event.occurredAt(), java.time.ZoneOffset.UTC)
              .equals(wall)) {
            skewedOtherDate.incrementAndGet(writer);
          }
        }
        if (ok && drift) {
          drifted.incrementAndGet();
        }
        if (ok && note) {
          withNote.incrementAndGet();
        }
        if (ok && wide) {
          wideCreates.incrementAndGet();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      failure.compareAndSet(null, "writer-" + writer + " failed: " + e);
      history.note("writer-" + writer, "failed", Map.of("error", String.valueOf(e)));
    } finally {
      stall.writerFinished();
      done.countDown();
    }
  }

  /** Applies {@code op}, retrying; the event it committed (null: the run stopped first). */
  private OrderEvent apply(OrderWriter orders, int writer, SourceOp op, Change change, boolean wide)
      throws InterruptedException {
    String process = "writer-" + writer;
    Map<String, Object> value = Map.of("order", op.orderId(), "key", change.idempotencyKey());
    while (!stopped) {
      History.Handle h = history.invoke(process, op.f(), value);
      try {
        OrderEvent event;
        if (op instanceof SourceOp.Create c) {
          event =
              orders.create(
                  c.orderId(),
                  c.customerId(),
                  c.totalCents(),
                  wide ? wideCurrency(c.currency()) : c.currency(),
                  change);
        } else if (op instanceof SourceOp.Update u) {
          event = orders.update(u.orderId(), u.status(), u.totalCents(), change);
        } else if (op instanceof SourceOp.Cancel c) {
          event = orders.cancel(c.orderId(), change);
        } else {
          event = orders.delete(op.orderId(), change);
        }
        history.ok(h, Map.of("version", event.version(), "event", event.eventId()));
        committed.incrementAndGet();
        return event;
      } catch (RuntimeException e) {
        // The connection may have died after the commit: unknown outcome, retried under the same
        // key.
        history.info(h, Map.of("error", String.valueOf(e.getMessage())));
        retries.incrementAndGet();
        Thread.sleep(100);
      }
    }
    return null;
  }
}
