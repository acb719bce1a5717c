package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.report.RunReport.Counts;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import dev.cdcchaos.harness.report.RunReport.Sample;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A realistic run report built by hand, for the writer tests and for looking at. */
final class SampleReports {

  private SampleReports() {}

  static final List<String> INVARIANTS =
      List.of(
          "converged",
          "no-loss",
          "no-duplicates",
          "lake-complete",
          "replay-equivalent",
          "checkpoints-sound",
          "accounting",
          "liveness");

  static RunReport sample(String scenario, Instant startedAt, boolean broken) {
    List<CheckResult> checks = new ArrayList<>();
    for (String name : INVARIANTS) {
      if (broken && name.equals("no-duplicates")) {
        List<String> evidence = new ArrayList<>();
        for (int c = 1; c <= 5; c++) {
          evidence.add(
              "customer "
                  + (c * 7)
                  + ": expected 3 orders / 4500 cents (recomputed from the source), actual 3 orders / 9000 cents (wh_customer_totals)");
        }
        evidence.add("... and 2 more");
        checks.add(
            new CheckResult(
                name,
                Verdict.INVALID,
                "7 customers whose wh_customer_totals differ from the totals of the source (7 counted too high): 7, 14, 21, 28, 35 ... and 2 more",
                evidence,
                Map.of("customers", 120L, "customers differing", 7L, "duplicates absorbed", 0L)));
      } else if (name.equals("accounting")) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("delivered-once", 1880L);
        counts.put("duplicate-absorbed", 95L);
        counts.put("reordered-converged", 25L);
        counts.put("dead-lettered", 0L);
        counts.put("duplicate-visible", broken ? 9L : 0L);
        counts.put("reordered-diverged", 0L);
        counts.put("lost", 0L);
        counts.put("stage:committed", 2000L);
        counts.put("stage:published", 2000L);
        counts.put("stage:lake", 2000L);
        counts.put("stage:applied", 2000L);
        counts.put("stage:dead-lettered", 0L);
        checks.add(
            new CheckResult(
                name,
                broken ? Verdict.INVALID : Verdict.VALID,
                broken
                    ? "9 events visibly duplicated"
                    : "2000 events: 1880 delivered once, 95 duplicates absorbed, 25 reordered and converged, none lost or visibly duplicated",
                broken
                    ? List.of(
                        "order 17 v2 ORDER_UPDATED event e-17-2: delivered 2x, customer 7 total counted too high")
                    : List.of(),
                counts));
      } else if (name.equals("liveness")) {
        checks.add(
            new CheckResult(
                name,
                Verdict.VALID,
                "converged 4.2 s after the last fault healed (bound 30.0 s)",
                List.of(),
                Map.of("recovery ms", 4200L, "bound ms", 30000L)));
      } else {
        checks.add(
            new CheckResult(
                name,
                Verdict.VALID,
                name + " holds on 500 orders",
                List.of(),
                Map.of("orders", 500L)));
      }
    }
    checks.sort((a, b) -> b.verdict().compareTo(a.verdict()));
    List<Sample> samples = new ArrayList<>();
    long committed = 0;
    long published = 0;
    long applied = 0;
    for (long t = 0; t <= 24_000; t += 250) {
      if (t < 15_000) {
        committed += 33;
      }
      boolean partitioned = t >= 6_000 && t < 10_000;
      boolean consumerDown = t >= 12_000 && t < 13_500;
      published = Math.min(committed, published + 40);
      if (!partitioned && !consumerDown) {
        applied = Math.min(published, applied + (t > 10_000 ? 90 : 38));
      }
      long lag = committed == applied ? 0 : (committed - applied) * 8;
      samples.add(new Sample(t, committed, published, applied, lag));
    }
    return new RunReport(
        scenario,
        "A consumer crash after the warehouse write, during a consumer->kafka partition, with 5% duplicate sends.",
        42,
        broken ? "no-idempotency-ledger" : "correct",
        startedAt,
        26_400,
        broken ? Verdict.INVALID : Verdict.VALID,
        checks,
        new Counts(2000, 2000, 2000, 95, 3),
        List.of(
            new FaultSpan("duplicate", "publisher", 1_000L, 15_000L),
            new FaultSpan("partition", "consumer->kafka", 6_000L, 10_000L),
            new FaultSpan("crash", "consumer.after-warehouse", 12_000L, 12_000L),
            new FaultSpan("latency", "publisher->kafka", 16_000L, null)),
        samples,
        4_200L,
        30_000L,
        Map.of("brokers", "1", "partitions", "3", "orders", "500", "writers", "4"),
        effects(),
        reads(samples));
  }

  /** Reads every 250 ms; events wait while the link is cut and the consumer is down. */
  static RunReport.Reads reads(List<Sample> samples) {
    List<dev.cdcchaos.harness.check.Visibility.Point> unseen = new ArrayList<>();
    for (Sample s : samples) {
      boolean down = s.tMs() >= 12_000 && s.tMs() < 13_500;
      if (!down) {
        unseen.add(
            new dev.cdcchaos.harness.check.Visibility.Point(
                s.tMs(), Math.max(0, s.committed() - s.applied())));
      }
    }
    return new RunReport.Reads(
        unseen.size(),
        samples.size(),
        samples.size() - unseen.size(),
        new dev.cdcchaos.harness.check.Visibility(2000, 2000, 180, 4_100, 4_650, unseen));
  }

  /** Evidence for the four faults of the sample, the last of which did not take effect. */
  static List<FaultEffect> effects() {
    return List.of(
        new FaultEffect(
            0,
            "duplicate publishers, fraction 0.05 for 14s (at 1s)",
            "duplicate",
            "publishers, fraction 0.05",
            null,
            false,
            true,
            true,
            "95 sends duplicated in 20 batches",
            Map.of("sends duplicated", 95L, "batches", 20L)),
        new FaultEffect(
            1,
            "partition consumer->kafka for 4s (at 6s)",
            "partition",
            "consumer->kafka",
            null,
            false,
            true,
            true,
            "5120 bytes held back on 2 connections in its 4000 ms",
            Map.of("bytes dropped", 5120L)),
        new FaultEffect(
            2,
            "crash consumer at consumer.after-warehouse (at events_applied 900)",
            "crash",
            "consumer",
            "consumer.after-warehouse",
            false,
            true,
            true,
            "consumer halted at consumer.after-warehouse (exit 137, 80 ms after it was armed)",
            Map.of("exit code", 137L)),
        new FaultEffect(
            3,
            "latency publisher->kafka for 10s (at 16s)",
            "latency",
            "publisher->kafka",
            null,
            true,
            true,
            false,
            "no byte was delayed: no data tried to cross publisher->kafka",
            Map.of("bytes delayed", 0L)));
  }

  static List<Op> history() {
    return List.of(
        new Op(0, 1_000_000L, "writer-1", Op.Type.INVOKE, "create", Map.of("orderId", 1L)),
        new Op(
            1, 2_000_000L, "writer-1", Op.Type.OK, "create", Map.of("orderId", 1L, "version", 1L)),
        new Op(
            2,
            6_000_000_000L,
            "nemesis",
            Op.Type.INVOKE,
            "partition",
            Map.of("link", "consumer->kafka")),
        new Op(
            3, 10_000_000_000L, "nemesis", Op.Type.OK, "heal", Map.of("link", "consumer->kafka")));
  }
}
