package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.harness.net.Links;
import dev.cdcchaos.pipeline.control.ControlSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns one fault of the vocabulary into actions on the running system, and gives back how to heal
 * it. Network faults go through toxiproxy-java on the link's proxies, process faults through the
 * nodes, crash points and delivery faults through the pipeline processes' control files, data
 * faults and slow commits through the workload and the poison producer.
 */
final class FaultInjector {

  /** What a started fault needs to end. {@link #NOTHING} for instantaneous faults. */
  interface Heal {
    Heal NOTHING = () -> {};

    void heal();
  }

  private final RunContext ctx;

  FaultInjector(RunContext ctx) {
    this.ctx = ctx;
  }

  /** Starts {@code spec}'s fault, records it and returns how to heal it. */
  Heal start(FaultSpec spec) {
    Fault fault = spec.fault();
    Map<String, Object> details = describe(fault);
    spec.duration().ifPresent(d -> details.put("for", d.toMillis() + "ms"));
    History.Handle handle = ctx.history().invoke("nemesis", fault.kind(), details);
    try {
      Heal heal = inject(fault, spec.duration());
      ctx.history().ok(handle, Map.of());
      ctx.progress()
          .accept(
              "  fault: "
                  + fault.kind()
                  + " "
                  + details.get("target")
                  + (details.containsKey("point") ? " at " + details.get("point") : "")
                  + spec.duration().map(d -> " for " + d.toMillis() + " ms").orElse(""));
      return () -> {
        History.Handle h = ctx.history().invoke("nemesis", "heal-" + fault.kind(), describe(fault));
        try {
          heal.heal();
          ctx.history().ok(h, Map.of());
        } catch (RuntimeException e) {
          ctx.history().fail(h, Map.of("error", String.valueOf(e.getMessage())));
          throw e;
        }
      };
    } catch (RuntimeException e) {
      ctx.history().fail(handle, Map.of("error", String.valueOf(e.getMessage())));
      throw e;
    }
  }

  private Heal inject(Fault fault, java.util.Optional<Duration> duration) {
    Links links = ctx.links();
    if (fault instanceof Fault.Network n) {
      links.inject(n);
      return () -> links.clear(n);
    } else if (fault instanceof Fault.Kill k) {
      Node node = ctx.node(k.target());
      node.kill();
      return node::start;
    } else if (fault instanceof Fault.Pause p) {
      Node node = ctx.node(p.target());
      node.pause();
      return node::resume;
    } else if (fault instanceof Fault.Restart r) {
      Node node = ctx.node(r.target());
      node.stop();
      return node::start;
    } else if (fault instanceof Fault.Crash c) {
      PipelineProcess p = ctx.process(c.process());
      ctx.supervisor().restartDelay(p, duration.map(Duration::toMillis).orElse(0L));
      ControlSettings now = p.control();
      p.control(new ControlSettings(new ControlSettings.Crash(c.point(), 1), now.send()));
      return Heal.NOTHING;
    } else if (fault instanceof Fault.Duplicate d) {
      return sendFault(s -> s.duplicateFraction = d.fraction());
    } else if (fault instanceof Fault.Reorder r) {
      return sendFault(s -> s.reorderWindow = r.window());
    } else if (fault instanceof Fault.Redeliver r) {
      long records = r.rewind() instanceof Fault.Rewind.By by ? by.records() : Long.MAX_VALUE;
      PipelineProcess consumer = ctx.process(Target.Service.CONSUMER);
      consumer.stop();
      rewindCheckpoints(records);
      consumer.start();
      return Heal.NOTHING;
    } else if (fault instanceof Fault.SchemaDrift s) {
      ctx.workload().schemaDrift(s.fraction());
      return () -> ctx.workload().schemaDrift(0);
    } else if (fault instanceof Fault.SlowCommit c) {
      return ctx.workload().stallCommits(c.writers(), duration.isEmpty())::run;
    } else if (fault instanceof Fault.Poison p) {
      ctx.poison().publish(p.count(), p.kinds());
      return Heal.NOTHING;
    }
    throw new IllegalStateException("no injector for fault kind " + fault.kind());
  }

  /**
   * Moves the stopped consumer's checkpoints back by {@code records} per partition (not below 0),
   * as an operator resetting offsets would: the consumer then reads records it already applied, and
   * the ledger must absorb them.
   */
  private void rewindCheckpoints(long records) {
    String url = "jdbc:duckdb:" + ctx.workDir().resolve("warehouse.duckdb");
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url)) {
      try (java.sql.PreparedStatement st =
          c.prepareStatement(
              "UPDATE wh_checkpoints SET next_offset = CASE WHEN next_offset > ? THEN next_offset - ? ELSE 0 END")) {
        st.setLong(1, records);
        st.setLong(2, records);
        st.executeUpdate();
      }
      // the checkpoints-sound checker excuses regressions down to these offsets, and only those
      try (java.sql.Statement st = c.createStatement();
          java.sql.ResultSet rs =
              st.executeQuery("SELECT topic, kafka_partition, next_offset FROM wh_checkpoints")) {
        while (rs.next()) {
          ctx.history()
              .note(
                  "nemesis",
                  "redeliver",
                  Map.of(
                      "topic",
                      rs.getString(1),
                      "partition",
                      rs.getInt(2),
                      "offset",
                      rs.getLong(3)));
        }
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(
          "cannot rewind the consumer's checkpoints: " + e.getMessage(), e);
    }
  }

  /** Mutable view of the publisher's send settings while a delivery fault changes one of them. */
  private static final class SendKnobs {
    double duplicateFraction;
    int reorderWindow;
    double dropThenRetryFraction;
    long delayMs;
  }

  /**
   * Changes the send settings of every publisher (a delivery fault is on the path to Kafka, which
   * they all share) and returns how to restore each one's.
   */
  private Heal sendFault(Consumer<SendKnobs> change) {
    List<Heal> heals = new ArrayList<>();
    List<PipelineProcess> publishers = ctx.publishers();
    for (int i = 0; i < publishers.size(); i++) {
      // publisher 1 keeps the run's seed; the others draw their own sequences from it
      heals.add(sendFault(publishers.get(i), change, ctx.seed() + i));
    }
    return () -> heals.forEach(Heal::heal);
  }

  private Heal sendFault(PipelineProcess publisher, Consumer<SendKnobs> change, long seed) {
    synchronized (publisher) {
      ControlSettings before = publisher.control();
      SendKnobs knobs = new SendKnobs();
      if (before.send() != null) {
        knobs.duplicateFraction = before.send().duplicateFraction();
        knobs.reorderWindow = before.send().reorderWindow();
        knobs.dropThenRetryFraction = before.send().dropThenRetryFraction();
        knobs.delayMs = before.send().delayMs();
      }
      change.accept(knobs);
      publisher.control(
          new ControlSettings(
              before.crash(),
              new ControlSettings.Send(
                  knobs.duplicateFraction,
                  knobs.reorderWindow,
                  knobs.dropThenRetryFraction,
                  knobs.delayMs,
                  seed)));
      ControlSettings.Send restore = before.send();
      return () -> {
        synchronized (publisher) {
          ControlSettings now = publisher.control();
          publisher.control(new ControlSettings(now.crash(), restore));
        }
      };
    }
  }

  /** The fault's parameters as history details. */
  static Map<String, Object> describe(Fault fault) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("fault", fault.kind());
    String text = fault.toString();
    int open = text.indexOf('(');
    m.put("spec", open < 0 ? text : text.substring(open + 1, text.length() - 1));
    if (fault instanceof Fault.Network n) {
      m.put("target", n.link().cliName());
    } else if (fault instanceof Fault.OnProcess) {
      m.put("target", targetName(fault));
    } else if (fault instanceof Fault.Crash c) {
      m.put("target", c.process().cliName());
      m.put("point", c.point());
    } else if (fault instanceof Fault.Duplicate || fault instanceof Fault.Reorder) {
      m.put("target", "publisher");
    } else if (fault instanceof Fault.Redeliver) {
      m.put("target", "consumer");
    } else if (fault instanceof Fault.SlowCommit c) {
      m.put("target", c.writers() == 1 ? "1 writer" : c.writers() + " writers");
    } else {
      m.put("target", "workload");
    }
    return m;
  }

  private static String targetName(Fault fault) {
    if (fault instanceof Fault.Kill k) {
      return k.target().cliName();
    } else if (fault instanceof Fault.Pause p) {
      return p.target().cliName();
    } else if (fault instanceof Fault.Restart r) {
      return r.target().cliName();
    }
    return "?";
  }
}
