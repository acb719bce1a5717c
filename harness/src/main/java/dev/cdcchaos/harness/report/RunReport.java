package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.check.Visibility;
import dev.cdcchaos.harness.fault.FaultEffect;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a run's report shows, as stored in {@code results.json}. The runner fills it in once
 * the checkers ran; times inside the run ({@link FaultSpan}, {@link Sample}) are milliseconds since
 * the run started, the same origin as the history's {@code timeNanos}.
 *
 * @param scenario the scenario's name (the folder under {@code reports/})
 * @param description one or two sentences from the scenario file
 * @param seed the seed that replays the run
 * @param variant the pipeline variant ({@code correct} or a known-bad one, see {@code Variant})
 * @param startedAt wall-clock start of the run
 * @param wallTimeMs how long the run took, infrastructure start to verdict
 * @param verdict the combined verdict ({@link RunVerdict#overall()})
 * @param checks every checker's result
 * @param counts what went through the pipeline
 * @param faults every injected fault, in start order
 * @param samples progress sampled during the run (for the lag and throughput charts), in time order
 * @param convergeTimeMs from the last fault healing to convergence; null if it did not converge
 * @param convergeBoundMs the scenario's bound
 * @param settings free-form facts shown in the report header (brokers, partitions, orders, writers,
 *     rate ...)
 * @param effects per scheduled fault, whether it took effect and the evidence, in schedule order
 * @param reads the reads of the serving warehouse while the run went; null when none was tried
 */
public record RunReport(
    String scenario,
    String description,
    long seed,
    String variant,
    Instant startedAt,
    long wallTimeMs,
    Verdict verdict,
    List<CheckResult> checks,
    Counts counts,
    List<FaultSpan> faults,
    List<Sample> samples,
    Long convergeTimeMs,
    long convergeBoundMs,
    Map<String, String> settings,
    List<FaultEffect> effects,
    Reads reads) {

  /**
   * The reads of the serving warehouse while the run went.
   *
   * @param snapshots reads that returned a snapshot
   * @param attempts reads tried
   * @param failed reads that found no endpoint or no answer (the consumer was down or restarting)
   * @param visibility from each event's source commit to the first snapshot that showed it; null
   *     when it could not be measured
   */
  public record Reads(long snapshots, long attempts, long failed, Visibility visibility) {}

  public RunReport {
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(verdict, "verdict");
    description = description == null ? "" : description;
    variant = variant == null ? "correct" : variant;
    checks = checks == null ? List.of() : List.copyOf(checks);
    counts = counts == null ? new Counts(0, 0, 0, 0, 0) : counts;
    faults = faults == null ? List.of() : List.copyOf(faults);
    samples = samples == null ? List.of() : List.copyOf(samples);
    settings = settings == null ? Map.of() : Map.copyOf(settings);
    effects = effects == null ? List.of() : List.copyOf(effects);
  }

  /** A report without fault evidence (a run that scheduled no faults, a report from before). */
  public RunReport(
      String scenario,
      String description,
      long seed,
      String variant,
      Instant startedAt,
      long wallTimeMs,
      Verdict verdict,
      List<CheckResult> checks,
      Counts counts,
      List<FaultSpan> faults,
      List<Sample> samples,
      Long convergeTimeMs,
      long convergeBoundMs,
      Map<String, String> settings) {
    this(
        scenario,
        description,
        seed,
        variant,
        startedAt,
        wallTimeMs,
        verdict,
        checks,
        counts,
        faults,
        samples,
        convergeTimeMs,
        convergeBoundMs,
        settings,
        List.of(),
        null);
  }

  /**
   * Events through the pipeline.
   *
   * @param committed outbox events committed in Postgres
   * @param published outbox events sent to Kafka (distinct events)
   * @param applied events in the idempotency ledger
   * @param duplicatesAbsorbed deliveries the ledger recognised as duplicates (sum of its counters)
   * @param deadLettered rows of {@code wh_dead_letters}
   */
  public record Counts(
      long committed, long published, long applied, long duplicatesAbsorbed, long deadLettered) {

    /** The counts of an observed run, as defined above. */
    public static Counts of(Observation o) {
      Set<String> outbox = new HashSet<>();
      o.outbox().forEach(e -> outbox.add(e.eventId()));
      Set<String> published = new HashSet<>();
      for (Observation.KafkaRecord r : o.kafkaRecords()) {
        if (r.eventId() != null && outbox.contains(r.eventId())) {
          published.add(r.eventId());
        }
      }
      Set<String> applied = new HashSet<>();
      long duplicates = 0;
      for (Observation.AppliedEvent a : o.ledger()) {
        applied.add(a.eventId());
        duplicates += a.duplicates();
      }
      return new Counts(
          o.outbox().size(), published.size(), applied.size(), duplicates, o.deadLetters().size());
    }
  }

  /**
   * One injected fault over run time.
   *
   * @param name the fault as in the scenario file: {@code partition}, {@code crash}, {@code kill},
   *     {@code duplicate} ...
   * @param target what it hit: a link ({@code consumer->kafka}), a process ({@code consumer},
   *     {@code kafka-2}), a crash point ({@code consumer.after-warehouse})
   * @param startMs when it started, ms since the run started
   * @param endMs when it healed; null if it never did (drawn up to the end of the run)
   */
  public record FaultSpan(String name, String target, long startMs, Long endMs) {}

  /**
   * Progress at one moment: cumulative counts and the consumer's lag.
   *
   * @param tMs ms since the run started
   * @param committed outbox events committed so far
   * @param published events published so far
   * @param applied events applied so far
   * @param lagMs age of the oldest committed event not yet applied (0 when caught up)
   */
  public record Sample(long tMs, long committed, long published, long applied, long lagMs) {}
}
