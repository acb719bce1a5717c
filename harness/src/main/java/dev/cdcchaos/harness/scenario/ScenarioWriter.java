package dev.cdcchaos.harness.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes a scenario in the scenario file format, one fault per line, leaving out what equals the
 * defaults. {@code ScenarioLoader.parse(toYaml(s), ...)} gives back {@code s}; the search uses it
 * to write a minimal failing run as a file that replays it.
 */
public final class ScenarioWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScenarioWriter() {}

  /** Writes {@code scenario} to {@code file}, creating parent directories. */
  public static void write(Scenario scenario, Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(file, toYaml(scenario), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write scenario " + file, e);
    }
  }

  public static String toYaml(Scenario s) {
    StringBuilder y = new StringBuilder();
    y.append("name: ").append(s.name()).append('\n');
    if (!s.description().isEmpty()) {
      y.append("description: ").append(quote(s.description())).append('\n');
    }
    y.append("seed: ").append(s.seed()).append('\n');
    s.variant().ifPresent(v -> y.append("variant: ").append(v.cliName()).append('\n'));
    if (!s.topology().equals(Topology.DEFAULT)) {
      Topology t = s.topology();
      y.append("topology: { brokers: ")
          .append(t.brokers())
          .append(", partitions: ")
          .append(t.partitions())
          .append(", replication_factor: ")
          .append(t.replicationFactor())
          .append(t.publishers() == 1 ? "" : ", publishers: " + t.publishers())
          .append(" }\n");
    }
    workload(y, s.workload());
    if (!s.pipeline().equals(PipelineSettings.DEFAULT)) {
      y.append("pipeline: { ");
      s.pipeline().underTest().ifPresent(u -> y.append("under_test: ").append(u).append(", "));
      y.append("publisher_batch: ")
          .append(s.pipeline().publisherBatch())
          .append(", consumer_batch: ")
          .append(s.pipeline().consumerBatch());
      s.pipeline().settings().forEach((k, v) -> y.append(", ").append(k).append(": ").append(v));
      y.append(" }\n");
    }
    if (s.faults().isEmpty()) {
      y.append("faults: []\n");
    } else {
      y.append("faults:\n");
      for (FaultSpec f : s.faults()) {
        y.append("  - ").append(fault(f)).append('\n');
      }
    }
    if (!s.reads().equals(Reads.DEFAULT)) {
      y.append("reads: { every: ").append(Durations.format(s.reads().every())).append(" }\n");
    }
    if (!s.expect().equals(Expectations.DEFAULT)) {
      y.append("expect: { invariants: ").append(invariants(s.expect()));
      y.append(", converge_within: ").append(Durations.format(s.expect().convergeWithin()));
      if (s.expect().expectsInvalid()) {
        y.append(", verdict: ").append(s.expect().verdict().cliName());
      }
      y.append(" }\n");
    }
    return y.toString();
  }

  private static void workload(StringBuilder y, WorkloadSpec w) {
    y.append("workload:\n");
    y.append("  orders: ").append(w.orders()).append('\n');
    y.append("  updates_per_order: ").append(w.updatesPerOrder()).append('\n');
    y.append("  writers: ").append(w.writers()).append('\n');
    y.append("  rate_per_s: ").append(w.ratePerSecond()).append('\n');
    if (w.cancelFraction() != 0) {
      y.append("  cancel_fraction: ").append(number(w.cancelFraction())).append('\n');
    }
    if (w.deleteFraction() != 0) {
      y.append("  delete_fraction: ").append(number(w.deleteFraction())).append('\n');
    }
    if (w.schemaDriftFraction() != 0) {
      y.append("  schema_drift_fraction: ").append(number(w.schemaDriftFraction())).append('\n');
    }
    if (w.edgeFraction() != WorkloadSpec.DEFAULT_EDGE_FRACTION) {
      y.append("  edge_fraction: ").append(number(w.edgeFraction())).append('\n');
    }
    if (w.writersIn() != dev.cdcchaos.harness.workload.WritersIn.JVM) {
      y.append("  writers_in: ").append(w.writersIn().cliName()).append('\n');
    }
    PoisonMix p = w.poison();
    if (!p.equals(PoisonMix.NONE)) {
      y.append("  poison: { ");
      y.append(p.fraction() > 0 ? "fraction: " + number(p.fraction()) : "count: " + p.count());
      if (!p.kinds().equals(List.of(PoisonKind.values()))) {
        y.append(", kinds: ").append(kinds(p.kinds()));
      }
      y.append(" }\n");
    }
  }

  private static String fault(FaultSpec spec) {
    List<String> parts = new ArrayList<>();
    parts.add("at: " + trigger(spec.at()));
    Fault f = spec.fault();
    String key = f.kind().key() + ": ";
    List<String> own =
        switch (f.kind()) {
          case PARTITION -> {
            Fault.Partition p = (Fault.Partition) f;
            List<String> out = new ArrayList<>(List.of(key + p.link().cliName()));
            if (p.mode() != Fault.PartitionMode.BLACKHOLE) {
              out.add("mode: " + p.mode().cliName());
            }
            direction(out, p.direction(), Direction.BOTH);
            p.inside().ifPresent(point -> out.add("inside: " + point));
            yield out;
          }
          case LATENCY -> {
            Fault.Latency l = (Fault.Latency) f;
            List<String> out = new ArrayList<>(List.of(key + l.link().cliName()));
            out.add("delay: " + Durations.format(l.delay()));
            if (!l.jitter().isZero()) {
              out.add("jitter: " + Durations.format(l.jitter()));
            }
            direction(out, l.direction(), Direction.DOWNSTREAM);
            yield out;
          }
          case BANDWIDTH -> {
            Fault.Bandwidth b = (Fault.Bandwidth) f;
            List<String> out = new ArrayList<>(List.of(key + b.link().cliName()));
            out.add("kb_per_s: " + b.kilobytesPerSecond());
            direction(out, b.direction(), Direction.DOWNSTREAM);
            yield out;
          }
          case RESET_PEER -> {
            Fault.ResetPeer r = (Fault.ResetPeer) f;
            List<String> out = new ArrayList<>(List.of(key + r.link().cliName()));
            if (!r.timeout().isZero()) {
              out.add("timeout: " + Durations.format(r.timeout()));
            }
            direction(out, r.direction(), Direction.DOWNSTREAM);
            yield out;
          }
          case SLOW_CLOSE -> {
            Fault.SlowClose c = (Fault.SlowClose) f;
            List<String> out = new ArrayList<>(List.of(key + c.link().cliName()));
            out.add("delay: " + Durations.format(c.delay()));
            direction(out, c.direction(), Direction.DOWNSTREAM);
            yield out;
          }
          case LIMIT_DATA -> {
            Fault.LimitData d = (Fault.LimitData) f;
            List<String> out = new ArrayList<>(List.of(key + d.link().cliName()));
            out.add("bytes: " + d.bytes());
            direction(out, d.direction(), Direction.DOWNSTREAM);
            yield out;
          }
          case KILL, PAUSE, RESTART -> List.of(key + ((Fault.OnProcess) f).target().cliName());
          case CRASH -> {
            Fault.Crash c = (Fault.Crash) f;
            yield List.of(key + c.process().cliName(), "point: " + c.point());
          }
          case DUPLICATE -> List.of(key + number(((Fault.Duplicate) f).fraction()));
          case REORDER -> List.of(key + ((Fault.Reorder) f).window());
          case REDELIVER ->
              List.of(
                  key
                      + (((Fault.Redeliver) f).rewind() instanceof Fault.Rewind.By by
                          ? Long.toString(by.records())
                          : "earliest"));
          case SCHEMA_DRIFT -> List.of(key + number(((Fault.SchemaDrift) f).fraction()));
          case SLOW_COMMIT -> List.of(key + ((Fault.SlowCommit) f).writers());
          case POISON -> {
            Fault.Poison p = (Fault.Poison) f;
            List<String> out = new ArrayList<>(List.of(key + p.count()));
            if (!p.kinds().equals(List.of(PoisonKind.values()))) {
              out.add("kinds: " + kinds(p.kinds()));
            }
            yield out;
          }
          case RESET_OFFSETS -> {
            Fault.OffsetReset to = ((Fault.ResetOffsets) f).to();
            yield List.of(
                key
                    + (to instanceof Fault.OffsetReset.Ago ago
                        ? Durations.format(ago.ago())
                        : to instanceof Fault.OffsetReset.Latest ? "latest" : "earliest"));
          }
          case RECREATE_TOPIC -> List.of(key + "drained");
          case ZOMBIE_CONSUMER -> List.of(key + "consumer");
          case DDL -> List.of(key + ((Fault.Ddl) f).change().cliName());
          case CLOCK_SKEW -> {
            Fault.ClockSkew c = (Fault.ClockSkew) f;
            List<String> out = new ArrayList<>(List.of(key + c.direction().cliName()));
            if (c.writer() != 0) {
              out.add("writer: " + c.writer());
            }
            yield out;
          }
          case DISK_FULL -> List.of(key + ((Fault.DiskFull) f).store().cliName());
          case LONG_OUTAGE -> List.of(key + ((Fault.LongOutage) f).link().cliName());
          case LONG_PAUSE -> List.of(key + ((Fault.LongPause) f).target().cliName());
          case UNCLEAN_LEADER_ELECTION ->
              List.of(key + ((Fault.UncleanLeaderElection) f).partition());
        };
    parts.addAll(own);
    spec.duration().ifPresent(d -> parts.add("for: " + Durations.format(d)));
    if (spec.optional()) {
      parts.add("optional: true");
    }
    return "{ " + String.join(", ", parts) + " }";
  }

  private static void direction(List<String> parts, Direction d, Direction byDefault) {
    if (d != byDefault) {
      parts.add("direction: " + d.cliName());
    }
  }

  private static String trigger(Trigger t) {
    if (t instanceof Trigger.After a) {
      return "{ after: " + Durations.format(a.offset()) + " }";
    }
    Trigger.Progress p = (Trigger.Progress) t;
    return "{ " + p.counter().key() + ": " + p.count() + " }";
  }

  private static String invariants(Expectations e) {
    if (e.all()) {
      return "all";
    }
    return e.invariants().stream()
        .sorted()
        .map(Invariant::cliName)
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private static String kinds(List<PoisonKind> kinds) {
    return kinds.stream().map(PoisonKind::cliName).collect(Collectors.joining(", ", "[", "]"));
  }

  /** A fraction as plain decimal text that parses back to the same double. */
  private static String number(double d) {
    String s = BigDecimal.valueOf(d).toPlainString();
    return s.contains(".") ? s : s + ".0";
  }

  private static String quote(String text) {
    try {
      return JSON.writeValueAsString(text);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
