package dev.cdcchaos.harness.matrix;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs pipeline variants against scenarios, one run per cell, and judges each run for its row. The
 * CLI's {@code matrix} command and {@code MatrixIT} both plan their cells here ({@link
 * #crossProduct}, {@link #designated}) and run them with {@link #run}.
 */
public final class DetectionMatrix {

  /** One planned cell: run {@code scenario} on the pipeline {@code variant}. */
  public record Job(Variant variant, Scenario scenario) {}

  /** Runs one scenario on one variant; the seam that lets the planning be tested without infra. */
  @FunctionalInterface
  public interface Runs {
    /** The verdict and the report folder of the run. */
    Ran run(Variant variant, Scenario scenario);

    /**
     * Called once before the first run with every planned job, e.g. to start shared infrastructure
     * so that no cell's wall time includes it.
     */
    default void prepare(List<Job> jobs) {}

    /** What a run left behind. */
    record Ran(RunVerdict verdict, Path runDir) {}

    /** Real runs through {@link ScenarioRunner}, the variant forced over the scenario's own. */
    static Runs of(RunOptions options) {
      return new Runs() {
        @Override
        public Ran run(Variant variant, Scenario scenario) {
          RunOutcome o =
              new ScenarioRunner(options.withVariant(Optional.of(variant))).run(scenario);
          return new Ran(o.verdict(), o.runDir());
        }

        @Override
        public void prepare(List<Job> jobs) {
          jobs.stream()
              .map(j -> j.scenario().topology().brokers())
              .distinct()
              .forEach(brokers -> options.infrastructure().apply(brokers));
        }
      };
    }
  }

  private final Runs runs;
  private final Consumer<String> progress;
  private final LongSupplier nanoTime;
  private final boolean untilCaught;

  /**
   * @param runs how a cell is run
   * @param progress where one line per cell goes
   * @param nanoTime the clock for wall times (e.g. {@code System::nanoTime})
   * @param untilCaught whether to skip a variant's remaining scenarios once one caught it
   */
  public DetectionMatrix(
      Runs runs, Consumer<String> progress, LongSupplier nanoTime, boolean untilCaught) {
    this.runs = runs;
    this.progress = progress;
    this.nanoTime = nanoTime;
    this.untilCaught = untilCaught;
  }

  /** Every known-bad variant, in declaration order. */
  public static List<Variant> knownBad() {
    return Arrays.stream(Variant.values()).filter(v -> v != Variant.CORRECT).toList();
  }

  /**
   * The correct pipeline under every scenario, then each variant under every scenario (row by row,
   * so {@code untilCaught} can skip the rest of a row).
   */
  public static List<Job> crossProduct(List<Variant> variants, List<Scenario> scenarios) {
    Set<Variant> rows = new LinkedHashSet<>();
    rows.add(Variant.CORRECT);
    rows.addAll(variants);
    List<Job> jobs = new ArrayList<>();
    for (Variant v : rows) {
      for (Scenario s : scenarios) {
        // the variants are the reference pipeline's: a file that picks another pipeline is no cell
        if (s.pipeline().underTest().map("reference"::equals).orElse(true)) {
          jobs.add(new Job(v, s));
        }
      }
    }
    return jobs;
  }

  /**
   * The designated cells of scenarios that name their own variant: each under its variant (which it
   * must catch) and under the correct pipeline (which must stay valid). Scenarios without a variant
   * are ignored.
   */
  public static List<Job> designated(List<Scenario> scenarios) {
    List<Job> jobs = new ArrayList<>();
    for (Scenario s : scenarios) {
      s.variant().filter(v -> v != Variant.CORRECT).ifPresent(v -> jobs.add(new Job(v, s)));
    }
    for (Job j : List.copyOf(jobs)) {
      jobs.add(new Job(Variant.CORRECT, j.scenario()));
    }
    return jobs;
  }

  /**
   * Runs the jobs one after the other; {@code afterEach} sees the matrix so far after every cell
   * (to keep the written report current).
   */
  public MatrixResult run(List<Job> jobs, Consumer<MatrixResult> afterEach) {
    Instant startedAt = Instant.now();
    long t0 = nanoTime.getAsLong();
    Set<Variant> rows = new LinkedHashSet<>();
    Set<String> columns = new LinkedHashSet<>();
    if (jobs.stream().anyMatch(j -> j.variant() == Variant.CORRECT)) {
      rows.add(Variant.CORRECT);
    }
    for (Job j : jobs) {
      rows.add(j.variant());
      columns.add(j.scenario().name());
    }
    if (!jobs.isEmpty()) {
      say("starting infrastructure");
      runs.prepare(jobs);
    }
    List<Cell> cells = new ArrayList<>();
    Set<Variant> caught = new HashSet<>();
    int n = 0;
    for (Job job : jobs) {
      n++;
      String what = job.variant().cliName() + " x " + job.scenario().name();
      if (untilCaught && caught.contains(job.variant())) {
        say("[%d/%d] %s: skipped (already caught)", n, jobs.size(), what);
        continue;
      }
      say("[%d/%d] %s ...", n, jobs.size(), what);
      Cell cell = runOne(job);
      cells.add(cell);
      if (cell.status() == Cell.Status.CAUGHT) {
        caught.add(job.variant());
      }
      say(
          "[%d/%d] %s: %s (%.1f s)%s",
          n,
          jobs.size(),
          what,
          cell.text(),
          cell.wallMs() / 1000.0,
          cell.error().map(e -> " " + e).orElse(""));
      afterEach.accept(
          new MatrixResult(
              List.copyOf(rows),
              List.copyOf(columns),
              cells,
              startedAt,
              (nanoTime.getAsLong() - t0) / 1_000_000));
    }
    return new MatrixResult(
        List.copyOf(rows),
        List.copyOf(columns),
        cells,
        startedAt,
        (nanoTime.getAsLong() - t0) / 1_000_000);
  }

  private Cell runOne(Job job) {
    long start = nanoTime.getAsLong();
    try {
      Runs.Ran ran = runs.run(job.variant(), job.scenario());
      long wall = (nanoTime.getAsLong() - start) / 1_000_000;
      return judge(job.variant(), job.scenario().name(), ran.verdict(), wall, ran.runDir());
    } catch (RuntimeException e) {
      long wall = (nanoTime.getAsLong() - start) / 1_000_000;
      return new Cell(
          job.variant(),
          job.scenario().name(),
          Cell.Status.ERROR,
          List.of(),
          wall,
          Optional.empty(),
          Optional.of(e.getClass().getSimpleName() + ": " + e.getMessage()));
    }
  }

  /** What a verdict means for the row of {@code variant}. */
  public static Cell judge(
      Variant variant, String scenario, RunVerdict verdict, long wallMs, Path runDir) {
    boolean correct = variant == Variant.CORRECT;
    Cell.Status status =
        switch (verdict.overall()) {
          case INVALID -> correct ? Cell.Status.FAILED : Cell.Status.CAUGHT;
          case VALID -> correct ? Cell.Status.VALID : Cell.Status.MISSED;
          case UNKNOWN, NOT_APPLICABLE -> Cell.Status.UNKNOWN;
        };
    Verdict shown = verdict.overall();
    List<String> invariants =
        shown == Verdict.VALID
            ? List.of()
            : verdict.results().stream()
                .filter(r -> r.verdict() == shown)
                .map(CheckResult::invariant)
                .toList();
    return new Cell(
        variant,
        scenario,
        status,
        invariants,
        wallMs,
        Optional.ofNullable(runDir).map(Path::toString),
        Optional.empty());
  }

  private void say(String format, Object... args) {
    progress.accept(String.format(Locale.ROOT, format, args));
  }
}
