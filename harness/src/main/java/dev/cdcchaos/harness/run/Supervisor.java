package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Death;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.pipeline.control.ControlSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restarts pipeline processes that died while wanted up, as a process manager (systemd, Kubernetes)
 * would in production: a crash-point halt, an OOM or a bug. A crash armed through the control file
 * is disarmed before the restart, so one scenario crash is one crash. Every death is recorded in
 * the history as {@code info} (its outcome for in-flight work is unknown by definition) and kept as
 * a {@link Death} with its exit status and the crash point the process halted at (from its halt
 * marker): the evidence of crash faults.
 */
final class Supervisor implements AutoCloseable {
  private final List<PipelineProcess> processes;
  private final History history;
  private final java.util.function.Consumer<String> progress;
  private final ScheduledExecutorService timer;
  private final AtomicInteger deaths = new AtomicInteger();
  private final List<Death> seen = new ArrayList<>();

  /** Downtime to hold a process for after its next death, by process name (crash faults). */
  private final Map<String, Long> nextDowntimeMillis =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Processes dead and held down, by name: when they are due back (timer thread only). */
  private final Map<String, HeldDown> heldDown = new java.util.HashMap<>();

  private record HeldDown(long untilNanos, long millis, String exit, String crashPoint) {}

  Supervisor(
      List<PipelineProcess> processes,
      History history,
      java.util.function.Consumer<String> progress) {
    this.processes = List.copyOf(processes);
    this.history = history;
    this.progress = progress;
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "supervisor");
              t.setDaemon(true);
              return t;
            });
  }

  void start() {
    timer.scheduleWithFixedDelay(this::tick, 100, 100, TimeUnit.MILLISECONDS);
  }

  /** How many unexpected deaths the supervisor saw. */
  int deaths() {
    return deaths.get();
  }

  /** Every unexpected death so far, in the order seen. */
  List<Death> deathList() {
    synchronized (seen) {
      return List.copyOf(seen);
    }
  }

  /**
   * Holds {@code process} down after its next death for {@code millis} (crash faults with a
   * downtime); other processes that die meanwhile are restarted as usual.
   */
  void restartDelay(PipelineProcess process, long millis) {
    if (millis > 0) {
      nextDowntimeMillis.put(process.name(), millis);
    } else {
      nextDowntimeMillis.remove(process.name());
    }
  }

  private void tick() {
    for (PipelineProcess p : processes) {
      try {
        HeldDown held = heldDown.get(p.name());
        if (held != null) {
          if (System.nanoTime() >= held.untilNanos()) {
            heldDown.remove(p.name());
            revive(p, held.exit(), held.crashPoint(), held.millis());
          }
          continue;
        }
        if (!p.died()) {
          continue;
        }
        deaths.incrementAndGet();
        String exit = p.exitCode().isPresent() ? String.valueOf(p.exitCode().getAsInt()) : "?";
        if ("2".equals(exit)) {
          // bad configuration: restarting cannot help, and a restart loop would hide the reason
          p.kill();
          history.note(p.name(), "gave-up", Map.of("exit", exit, "log", p.logTail(3)));
          progress.accept(
              "  " + p.name() + " exited 2 (bad configuration), not restarted: " + p.logTail(3));
          continue;
        }
        ControlSettings control = p.control();
        String crashPoint = control.crash() == null ? null : control.crash().point();
        Optional<String> haltedAt = p.takeHaltedAt();
        Map<String, Object> died = new LinkedHashMap<>();
        died.put("exit", exit);
        haltedAt.ifPresent(point -> died.put("point", point));
        if (crashPoint != null && !haltedAt.equals(Optional.of(crashPoint))) {
          died.put("armed", crashPoint);
        }
        Op note = history.note(p.name(), "died", died);
        synchronized (seen) {
          seen.add(new Death(p.name(), note.timeNanos() / 1_000_000, p.exitCode(), haltedAt));
        }
        if (crashPoint != null) {
          p.control(new ControlSettings(null, control.send(), control.hold()));
        }
        Long downtime = nextDowntimeMillis.remove(p.name());
        if (downtime != null) {
          heldDown.put(
              p.name(),
              new HeldDown(
                  System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(downtime),
                  downtime,
                  exit,
                  haltedAt.orElse(null)));
          continue;
        }
        revive(p, exit, haltedAt.orElse(null), 0);
      } catch (RuntimeException e) {
        history.note(p.name(), "restart-failed", Map.of("error", String.valueOf(e.getMessage())));
      }
    }
  }

  private void revive(PipelineProcess p, String exit, String crashPoint, long heldMillis) {
    p.revive();
    progress.accept(
        "  "
            + p.name()
            + " died (exit "
            + exit
            + (crashPoint == null ? "" : " at " + crashPoint)
            + "), restarted"
            + (heldMillis > 0 ? " after " + heldMillis + " ms" : ""));
    history.note(p.name(), "restarted", Map.of("after", exit));
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
