package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.pipeline.control.ControlSettings;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Restarts pipeline processes that died while wanted up, as a process manager (systemd, Kubernetes)
 * would in production: a crash-point halt, an OOM or a bug. A crash armed through the control file
 * is disarmed before the restart, so one scenario crash is one crash. Every death is recorded in
 * the history as {@code info} (its outcome for in-flight work is unknown by definition).
 */
final class Supervisor implements AutoCloseable {
  private final List<PipelineProcess> processes;
  private final History history;
  private final java.util.function.Consumer<String> progress;
  private final ScheduledExecutorService timer;
  private final AtomicInteger deaths = new AtomicInteger();
  private volatile long restartDelayMillis;

  Supervisor(
      List<PipelineProcess> processes,
      History history,
      long restartDelayMillis,
      java.util.function.Consumer<String> progress) {
    this.processes = List.copyOf(processes);
    this.history = history;
    this.progress = progress;
    this.restartDelayMillis = restartDelayMillis;
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

  /**
   * Holds a process down after its next death for {@code millis} (crash faults with a downtime).
   */
  void restartDelay(long millis) {
    this.restartDelayMillis = millis;
  }

  private void tick() {
    for (PipelineProcess p : processes) {
      try {
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
        history.note(
            p.name(),
            "died",
            crashPoint == null ? Map.of("exit", exit) : Map.of("exit", exit, "point", crashPoint));
        if (crashPoint != null) {
          p.control(new ControlSettings(null, control.send()));
        }
        long delay = restartDelayMillis;
        restartDelayMillis = 0;
        if (delay > 0) {
          Thread.sleep(delay);
        }
        p.revive();
        progress.accept(
            "  "
                + p.name()
                + " died (exit "
                + exit
                + (crashPoint == null ? "" : " at " + crashPoint)
                + "), restarted"
                + (delay > 0 ? " after " + delay + " ms" : ""));
        history.note(p.name(), "restarted", Map.of("after", exit));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        history.note(p.name(), "restart-failed", Map.of("error", String.valueOf(e.getMessage())));
      }
    }
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
