package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.fault.FaultKind;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.report.FaultCoverage;
import dev.cdcchaos.harness.report.ReportIndex;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Durations;
import dev.cdcchaos.harness.scenario.Expectations;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.scenario.ScenarioWriter;
import dev.cdcchaos.harness.search.FailureOracle;
import dev.cdcchaos.harness.search.ScheduleGenerator;
import dev.cdcchaos.harness.search.Search;
import dev.cdcchaos.harness.search.SearchSpace;
import dev.cdcchaos.harness.search.Shard;
import dev.cdcchaos.harness.search.Shrinker;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code cdc-chaos search}: runs random scenarios drawn from consecutive seeds through the real
 * pipeline; the first one that fails is shrunk, each attempt a real run, and the smallest scenario
 * that still fails is written as a scenario file that {@code cdc-chaos run} replays.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Runs random fault schedules (from --seed, --runs of them) on Postgres + Kafka + Toxiproxy API (local unless --infra).",
      "The first run that fails (verdict invalid, or unknown) is shrunk with real runs to a minimal failing",
      "scenario, written to --out as a scenario file that `cdc-chaos run FILE` replays.",
      "Exit 0 when no run failed, 1 when a failure was found, 2 on bad input."
    })
public final class SearchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin InfraOption infra;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "First seed; run i uses seed + i (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--runs",
      defaultValue = "10",
      description = "How many random scenarios to try (default: ${DEFAULT-VALUE}).")
  int runs;

  @Option(
      names = "--shard",
      defaultValue = "1/1",
      paramLabel = "I/N",
      description =
          "Run only job I's share of the campaign's seeds (every Nth, from seed + I - 1), so N jobs"
              + " of a CI matrix split one campaign (default: ${DEFAULT-VALUE}).")
  String shard;

  @Option(
      names = "--variant",
      description =
          "Search against a known-bad pipeline variant (e.g. no-idempotency-ledger); the found scenario pins it.")
  String variant;

  @Option(
      names = "--max-shrink-attempts",
      defaultValue = "12",
      description = "Most real runs spent shrinking a failure (default: ${DEFAULT-VALUE}).")
  int maxShrinkAttempts;

  @Option(
      names = "--out",
      defaultValue = "reports/search",
      description =
          "Where the minimal failing scenario is written, run reports under <out>/runs (default: ${DEFAULT-VALUE}).")
  Path out;

  @Option(
      names = "--min-orders",
      defaultValue = "20",
      description = "Fewest orders of a workload (default: ${DEFAULT-VALUE}).")
  int minOrders;

  @Option(
      names = "--max-orders",
      defaultValue = "300",
      description = "Most orders of a workload (default: ${DEFAULT-VALUE}).")
  int maxOrders;

  @Option(
      names = "--max-updates",
      defaultValue = "3",
      description = "Most updates per order (default: ${DEFAULT-VALUE}).")
  int maxUpdates;

  @Option(
      names = "--max-writers",
      defaultValue = "4",
      description = "Most concurrent writers (default: ${DEFAULT-VALUE}).")
  int maxWriters;

  @Option(
      names = "--max-faults",
      defaultValue = "3",
      description = "Most faults per schedule (default: ${DEFAULT-VALUE}).")
  int maxFaults;

  @Option(
      names = "--faults",
      split = ",",
      paramLabel = "KIND",
      description = "Fault kinds to draw from, comma-separated (default: all of them).")
  List<String> faultKinds;

  @Option(
      names = "--brokers",
      split = ",",
      defaultValue = "1",
      description = "Broker counts to draw from: 1 and/or 3 (default: ${DEFAULT-VALUE}).")
  List<Integer> brokers;

  @Option(
      names = "--max-partitions",
      defaultValue = "3",
      description = "Most topic partitions (default: ${DEFAULT-VALUE}).")
  int maxPartitions;

  @Option(
      names = "--max-start",
      defaultValue = "5s",
      description = "Latest time at which a fault starts (default: ${DEFAULT-VALUE}).")
  String maxStart;

  @Option(
      names = "--max-window",
      defaultValue = "3s",
      description = "Longest network/delivery fault window (default: ${DEFAULT-VALUE}).")
  String maxWindow;

  @Option(
      names = "--max-downtime",
      defaultValue = "2s",
      description = "Longest downtime after a kill, restart or crash (default: ${DEFAULT-VALUE}).")
  String maxDowntime;

  @Option(
      names = "--converge-within",
      defaultValue = "45s",
      description =
          "How long a run may take to drain after its last fault (default: ${DEFAULT-VALUE}).")
  String convergeWithin;

  @Option(
      names = "--verbose",
      description = "Print every progress line of every run, not only its verdict.")
  boolean verbose;

  @Override
  public Integer call() {
    PrintWriter stdout = spec.commandLine().getOut();
    Optional<Variant> pinned = parseVariant(variant);
    SearchSpace space = space();
    Expectations expect =
        new Expectations(
            Expectations.DEFAULT.invariants(), duration("--converge-within", convergeWithin));
    if (runs < 1) {
      throw new BadInputException("--runs must be at least 1, got " + runs);
    }
    Shard share;
    try {
      share = Shard.parse(shard);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--shard: " + e.getMessage());
    }
    List<Long> seeds = share.seeds(seed, runs);
    if (seeds.isEmpty()) {
      throw new BadInputException(
          "--shard "
              + share
              + " gets no seed of "
              + runs
              + " run(s): give at least "
              + share.index()
              + " --runs");
    }
    if (maxShrinkAttempts < 0) {
      throw new BadInputException("--max-shrink-attempts must not be negative");
    }
    Path reportsDir = out.resolve("runs");
    ScenarioRunner runner =
        new ScenarioRunner(
            RunOptions.defaults(reportsDir)
                .withInfrastructure(infra.select())
                .withProgress(verbose ? line -> stdout.println("    | " + line) : line -> {}));
    List<RunOutcome> outcomes = new ArrayList<>();
    FailureOracle oracle =
        new FailureOracle(
            s -> {
              stdout.printf(
                  "    running %s: %d faults %s, %d orders x %d updates, %d writer(s), %d broker(s),"
                      + " %d partition(s)%n",
                  s.name(),
                  s.faults().size(),
                  kinds(s.faults()),
                  s.workload().orders(),
                  s.workload().updatesPerOrder(),
                  s.workload().writers(),
                  s.topology().brokers(),
                  s.topology().partitions());
              long t0 = System.nanoTime();
              RunOutcome o;
              try {
                o = runner.run(s);
              } catch (RuntimeException e) {
                Path file = out.resolve(s.name() + "-error.yaml");
                ScenarioWriter.write(s, file);
                e.printStackTrace();
                throw new BadInputException(
                    "the harness could not run "
                        + s.name()
                        + " ("
                        + e
                        + "); the scenario is in "
                        + file
                        + ", try `./cdc-chaos run "
                        + file
                        + "`");
              }
              outcomes.add(o);
              stdout.printf(
                  Locale.ROOT,
                  "    %s in %.0f s  %s%n",
                  o.verdict().overall(),
                  (System.nanoTime() - t0) / 1e9,
                  o.runDir());
              for (CheckResult r : o.verdict().results()) {
                if (r.verdict() != Verdict.VALID) {
                  stdout.printf("      %-18s %-8s %s%n", r.invariant(), r.verdict(), r.summary());
                }
              }
              return o.verdict();
            },
            j -> {
              if (!j.fails() && j.verdict().overall() != Verdict.VALID) {
                stdout.printf("      not counted as a failure: %s%n", j.why());
              }
            });
    Shrinker shrinker =
        new Shrinker(
            maxShrinkAttempts,
            a ->
                stdout.printf(
                    "  shrink attempt %d/%d: %s%n", a.attempt(), a.maxAttempts(), a.change()),
            s ->
                stdout.printf(
                    "    -> %s%n",
                    s.stillFails() ? "still fails: kept" : "no longer fails: change undone"));
    stdout.printf(
        "cdc-chaos search: %d run(s) from seed %d%s against the %s pipeline; reports under %s%n",
        seeds.size(),
        seed,
        share.equals(Shard.ALL) ? "" : " (shard " + share + " of " + runs + " runs)",
        pinned.map(Variant::cliName).orElse("correct"),
        reportsDir);
    long started = System.nanoTime();
    Optional<Search.Found> found;
    try {
      found =
          Search.run(
              seeds,
              s -> draw(s, space, expect, pinned),
              oracle,
              shrinker,
              line -> stdout.println(line.startsWith("run ") ? "\n" + line : line));
    } finally {
      if (!outcomes.isEmpty()) {
        ReportIndex.write(reportsDir);
      }
    }
    double minutes = (System.nanoTime() - started) / 60e9;
    if (!outcomes.isEmpty()) {
      stdout.println();
      stdout.print(
          FaultCoverage.ofReports(outcomes.stream().map(RunOutcome::report).toList()).render());
    }
    if (found.isEmpty()) {
      stdout.printf(
          Locale.ROOT,
          "%nNo failure in %d run(s) from seed %d (%.1f min). Try more --runs or another --seed.%n",
          seeds.size(),
          seed,
          minutes);
      return Main.OK;
    }
    Search.Found f = found.get();
    FailureOracle.Failure failure = oracle.target().orElseThrow();
    Scenario minimal = f.minimal().withVariant(pinned);
    minimal = minimal.withDescription(description(f, minimal, failure, pinned));
    Path file = out.resolve(minimal.name() + ".yaml");
    ScenarioWriter.write(minimal, file);
    Scenario reloaded = ScenarioLoader.load(file);
    if (!reloaded.equals(minimal)) {
      throw new IllegalStateException(
          "the written scenario " + file + " does not load back to the scenario that failed");
    }
    stdout.printf(
        Locale.ROOT,
        "%nFAILURE FOUND: seed %d failed %s on %s (%.1f min, %d shrink attempts%s).%n",
        f.seed(),
        failure.overall(),
        String.join(", ", failure.invariants()),
        minutes,
        f.shrunk().attempts(),
        f.shrunk().exhausted() ? ", budget spent" : "");
    if (failure.overall() == Verdict.UNKNOWN) {
      stdout.println(
          "  (verdict UNKNOWN: the run could not be observed fully, e.g. did not drain;"
              + " counted as a failure, look at the report)");
    }
    stdout.printf(
        "  from: %d faults %s, %d orders%n",
        f.failing().faults().size(), kinds(f.failing().faults()), f.failing().workload().orders());
    stdout.printf(
        "  to:   %d faults %s, %d orders%n",
        minimal.faults().size(), kinds(minimal.faults()), minimal.workload().orders());
    stdout.printf("Minimal failing scenario: %s%n", file.toAbsolutePath());
    stdout.printf("Replay it: ./cdc-chaos run %s%n", file);
    return Main.INVALID;
  }

  /** The scenario of {@code s}, bounded by the search's expectations and pinned to the variant. */
  static Scenario draw(long s, SearchSpace space, Expectations expect, Optional<Variant> pinned) {
    Scenario drawn = ScheduleGenerator.random(s, space).withExpect(expect).withVariant(pinned);
    return pinned.isEmpty()
        ? drawn
        : drawn.withName("search-" + pinned.get().cliName() + "-" + Long.toUnsignedString(s));
  }

  private String description(
      Search.Found f, Scenario minimal, FailureOracle.Failure failure, Optional<Variant> pinned) {
    // the original arguments start with the subcommand's name
    String command =
        "cdc-chaos " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
    return String.format(
        Locale.ROOT,
        "Found by `%s` against the %s pipeline: seed %d (run %d of %d) failed %s on %s."
            + " Shrunk with %d real runs%s from %d faults %s and %d orders to %d faults %s and %d"
            + " orders.",
        command,
        pinned.map(Variant::cliName).orElse("correct"),
        f.seed(),
        f.seed() - seed + 1,
        runs,
        failure.overall(),
        String.join(", ", failure.invariants()),
        f.shrunk().attempts(),
        f.shrunk().exhausted() ? " (budget spent; it may shrink further)" : "",
        f.failing().faults().size(),
        kinds(f.failing().faults()),
        f.failing().workload().orders(),
        minimal.faults().size(),
        kinds(minimal.faults()),
        minimal.workload().orders());
  }

  private static String kinds(List<FaultSpec> faults) {
    return faults.stream()
        .map(FaultSpec::fault)
        .map(f -> f.kind().key())
        .collect(Collectors.joining(", ", "[", "]"));
  }

  private SearchSpace space() {
    List<String> kinds =
        faultKinds == null || faultKinds.isEmpty() ? FaultKind.searchKeys() : faultKinds;
    for (String k : kinds) {
      if (!FaultKind.searchKeys().contains(k)) {
        throw new BadInputException(
            "--faults: unknown fault kind '"
                + k
                + "' (or one the search does not draw), expected some of "
                + FaultKind.searchKeys());
      }
    }
    try {
      return new SearchSpace(
          minOrders,
          maxOrders,
          maxUpdates,
          maxWriters,
          maxFaults,
          kinds,
          brokers,
          maxPartitions,
          duration("--max-start", maxStart),
          duration("--max-window", maxWindow),
          duration("--max-downtime", maxDowntime));
    } catch (IllegalArgumentException e) {
      throw new BadInputException("bad search space: " + e.getMessage());
    }
  }

  private static Duration duration(String option, String text) {
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new BadInputException(
                    option + ": '" + text + "' is not a duration (expected e.g. 500ms, 3s, 2m)"));
  }

  private static Optional<Variant> parseVariant(String name) {
    try {
      return Optional.ofNullable(name).map(Variant::parse);
    } catch (IllegalArgumentException e) {
      throw new BadInputException("--variant: " + e.getMessage());
    }
  }
}
