package dev.cdcchaos.debezium;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.connect.runtime.distributed.DistributedHerder;

/**
 * Known-bad Debezium setups the harness must catch, chosen by the pipeline setting {@code
 * known_bad}. {@code slot-recreated}: {@code slot_recreate_after_ms} after the task first ran, the
 * connector is stopped, its replication slot dropped, and a new slot of the same name created a
 * second later while the writers go on; the connector then resumes from the new slot, so every
 * change committed between the drop and the new slot is never captured, as when an operator drops a
 * slot that held too much WAL and lets Debezium make a new one.
 */
final class KnownBad {
  private final String kind;
  private final long afterMs;
  private boolean done;

  private KnownBad(String kind, long afterMs) {
    this.kind = kind;
    this.afterMs = afterMs;
  }

  static KnownBad of(StageSettings s) {
    String kind = s.setting("known_bad", "none");
    if (!kind.equals("none") && !kind.equals("slot-recreated")) {
      System.err.println("debezium: unknown known_bad '" + kind + "', expected slot-recreated");
      Runtime.getRuntime().halt(2);
    }
    return new KnownBad(kind, Long.parseLong(s.setting("slot_recreate_after_ms", "3000")));
  }

  void tick(StageSettings s, DistributedHerder herder, long runningSinceNanos) {
    if (done || kind.equals("none")) {
      return;
    }
    if (System.nanoTime() - runningSinceNanos < TimeUnit.MILLISECONDS.toNanos(afterMs)) {
      return;
    }
    done = true;
    try {
      CompletableFuture<Void> stopped = new CompletableFuture<>();
      herder.stopConnector(
          "outbox",
          (error, ignored) -> {
            if (error != null) {
              stopped.completeExceptionally(error);
            } else {
              stopped.complete(null);
            }
          });
      stopped.get(60, TimeUnit.SECONDS);
      try (Connection c = WorkerMain.connect(s)) {
        for (int i = 0; i < 100; i++) {
          if (!WorkerMain.exists(
              c, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ? AND active", s.slot())) {
            break;
          }
          Thread.sleep(100);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_drop_replication_slot(?)")) {
          ps.setString(1, s.slot());
          ps.execute();
        }
        System.err.println("debezium: known-bad setup: dropped slot " + s.slot());
        Thread.sleep(1000);
        try (PreparedStatement ps =
            c.prepareStatement("SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
          ps.setString(1, s.slot());
          ps.execute();
        }
      }
      herder.resumeConnector("outbox");
      System.err.println("debezium: known-bad setup: slot recreated, connector resumed");
    } catch (SQLException | RuntimeException | java.util.concurrent.ExecutionException e) {
      System.err.println("debezium: known-bad setup failed: " + e);
    } catch (java.util.concurrent.TimeoutException e) {
      System.err.println("debezium: known-bad setup: the connector did not stop: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
