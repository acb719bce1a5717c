package dev.cdcchaos.harness.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.bench.Bench;
import dev.cdcchaos.harness.bench.BenchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Measures catch-up throughput and commit-to-warehouse lag; prints one JSON line and writes it to
 * {@code --out}, with the charts next to it ({@code .html}).
 */
@Command(
    name = "bench",
    description =
        "Benchmark: drain N pre-loaded outbox events to DuckDB + lake, then lag at a steady rate.")
public final class BenchCommand implements Callable<Integer> {

  @Option(
      names = "--events",
      defaultValue = "1000000",
      description = "catch-up events (default: ${DEFAULT-VALUE})")
  long events;

  @Option(
      names = "--rate",
      defaultValue = "5000",
      description = "lag phase events/s (default: ${DEFAULT-VALUE})")
  long rate;

  @Option(
      names = "--lag-seconds",
      defaultValue = "30",
      description = "lag phase length (default: ${DEFAULT-VALUE})")
  long lagSeconds;

  @Option(names = "--publisher-batch", defaultValue = "5000")
  int publisherBatch;

  @Option(names = "--consumer-batch", defaultValue = "20000")
  int consumerBatch;

  @Option(
      names = "--publishers",
      defaultValue = "1",
      description = "publisher instances claiming side by side (default: ${DEFAULT-VALUE})")
  int publishers;

  @Option(
      names = "--reads",
      defaultValue = "off",
      paramLabel = "EVERY",
      description =
          "Read the serving warehouse beside the pipeline, as the scenario runs do: wh_orders,"
              + " wh_customer_totals and wh_checkpoints in one read transaction every EVERY (e.g."
              + " 250ms), or off (default: ${DEFAULT-VALUE}).")
  String reads;

  @Option(
      names = "--pipelines",
      defaultValue = "reference",
      split = ",",
      paramLabel = "NAME[,NAME]",
      description =
          "The pipelines to measure, one after the other on the same machine in the same run, each"
              + " on fresh infrastructure with the same events: reference, debezium (default:"
              + " ${DEFAULT-VALUE}). With two, it prints each and the ratio of the second to the"
              + " first, and bench.html shows both.")
  List<String> pipelines;

  @Option(
      names = "--verification",
      description =
          "Measure the harness instead of the pipeline: scenario wall time inside one run of many"
              + " files split into phases (slowest first), one file end to end through a fresh"
              + " JVM, and the search's runs per minute; JSON to reports/bench-verification.json.")
  boolean verification;

  @Option(
      names = "--files",
      split = ",",
      paramLabel = "FILE[,FILE]",
      description =
          "With --verification: the scenario files run in one JVM (default: six general files).")
  List<Path> files;

  @Option(
      names = "--search-runs",
      defaultValue = "6",
      description =
          "With --verification: search runs to time (0: none; default: ${DEFAULT-VALUE}).")
  int searchRuns;

  @Option(
      names = "--out",
      defaultValue = "reports/bench.json",
      description =
          "where to write the JSON; the charts go next to it as .html (default: ${DEFAULT-VALUE})")
  Path out;

  @Override
  public Integer call() throws Exception {
    if (verification) {
      return verification();
    }
    if (events < 1
        || rate < 1
        || lagSeconds < 1
        || publisherBatch < 1
        || consumerBatch < 1
        || publishers < 1) {
      throw new BadInputException("--events, --rate, --lag-seconds and batch sizes must be >= 1");
    }
    Duration readsEvery = Duration.ZERO;
    if (!"off".equals(reads)) {
      readsEvery =
          dev.cdcchaos.harness.scenario.Durations.parse(reads)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "--reads: expected off or a duration like 250ms, found '" + reads + "'"));
      if (readsEvery.isZero() || readsEvery.isNegative()) {
        throw new BadInputException("--reads: expected a positive duration or off, found " + reads);
      }
    }
    for (String p : pipelines) {
      if (!dev.cdcchaos.harness.sut.Pipelines.NAMES.contains(p)) {
        throw new BadInputException(
            "--pipelines: unknown pipeline '"
                + p
                + "', expected "
                + dev.cdcchaos.harness.sut.Pipelines.NAMES);
      }
    }
    Map<String, Map<String, Object>> results = new java.util.LinkedHashMap<>();
    for (String pipeline : pipelines) {
      if (pipelines.size() > 1) {
        System.err.println("bench: " + pipeline);
      }
      Path work =
          Files.createTempDirectory(
              Path.of(System.getProperty("java.io.tmpdir")), "cdc-chaos-bench-");
      try (PhaseBars bars = new PhaseBars()) {
        results.put(
            pipeline,
            new Bench(
                    new Bench.Options(
                        events,
                        rate,
                        Duration.ofSeconds(lagSeconds),
                        publisherBatch,
                        consumerBatch,
                        publishers,
                        work,
                        readsEvery,
                        pipeline),
                    bars::update)
                .run());
      }
      deleteRecursively(work);
    }
    if (pipelines.size() > 1) {
      return sideBySide(results);
    }
    Map<String, Object> result = results.values().iterator().next();
    String line = new ObjectMapper().writeValueAsString(result);
    System.out.println(line);
    Path parent = out.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.writeString(out, line + System.lineSeparator());
    Path html = BenchReport.write(result, BenchReport.htmlPath(out));
    System.err.println("charts: " + html);
    return Main.OK;
  }

  /**
   * Prints each pipeline's figures and the ratio of the second to the first, writes them to {@code
   * --out} and the page that shows both ({@link dev.cdcchaos.harness.bench.SideBySide}).
   */
  private int sideBySide(Map<String, Map<String, Object>> results) throws Exception {
    ObjectMapper json = new ObjectMapper();
    Map<String, Object> all = dev.cdcchaos.harness.bench.SideBySide.combine(results);
    for (Map.Entry<String, Map<String, Object>> e : results.entrySet()) {
      System.out.println(json.writeValueAsString(e.getValue()));
    }
    System.out.println(json.writeValueAsString(Map.of("ratio", all.get("ratio"))));
    System.out.print(dev.cdcchaos.harness.bench.SideBySide.table(all));
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, json.writeValueAsString(all) + System.lineSeparator());
    Path html = BenchReport.htmlPath(out);
    for (Map.Entry<String, Map<String, Object>> e : results.entrySet()) {
      BenchReport.write(e.getValue(), sibling(html, e.getKey()));
    }
    Files.writeString(html, dev.cdcchaos.harness.bench.SideBySide.html(all, html));
    System.err.println("charts: " + html);
    return Main.OK;
  }

  /** The general files {@code --verification} runs unless given others. */
  static final List<String> VERIFICATION_FILES =
      List.of(
          "baseline-no-faults.yaml",
          "consumer-crash-after-warehouse.yaml",
          "delivery-duplicates-and-reorder.yaml",
          "network-partitions.yaml",
          "poison-schema-drift-reorder.yaml",
          "publisher-crash-before-mark.yaml");

  private int verification() throws Exception {
    List<Path> toRun =
        files == null || files.isEmpty()
            ? VERIFICATION_FILES.stream().map(f -> Path.of("scenarios", f)).toList()
            : files;
    for (Path f : toRun) {
      if (!Files.isRegularFile(f)) {
        throw new BadInputException("--files: no scenario file " + f.toAbsolutePath());
      }
    }
    if (searchRuns < 0) {
      throw new BadInputException("--search-runs must not be negative");
    }
    Path work =
        Files.createTempDirectory(
            Path.of(System.getProperty("java.io.tmpdir")), "cdc-chaos-bench-verification-");
    Map<String, Object> figures =
        new dev.cdcchaos.harness.bench.VerificationBench(
                new dev.cdcchaos.harness.bench.VerificationBench.Options(
                    toRun, toRun.get(0), searchRuns, work),
                line -> System.err.println(line))
            .run();
    deleteRecursively(work);
    String line = dev.cdcchaos.harness.bench.VerificationBench.json(figures);
    System.out.println(line);
    Path target =
        out.equals(Path.of("reports/bench.json"))
            ? Path.of("reports/bench-verification.json")
            : out;
    Files.createDirectories(target.toAbsolutePath().getParent());
    Files.writeString(target, line + System.lineSeparator());
    System.err.println("figures: " + target);
    return Main.OK;
  }

  /** {@code bench.html} -> {@code bench-debezium.html}. */
  static Path sibling(Path html, String pipeline) {
    String name = html.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return html.resolveSibling(name.substring(0, dot) + "-" + pipeline + name.substring(dot));
  }

  /**
   * One progress bar on stderr per bench phase, events done out of the phase's total; off a
   * terminal, a plain line every ten seconds and at the end of each phase.
   */
  private static final class PhaseBars implements AutoCloseable {
    private static final long PLAIN_EVERY_NANOS = 10_000_000_000L;
    private final boolean interactive = Terminal.interactive();
    private String phase;
    private ProgressBar bar;
    private long lastLine;
    private long lastDone;
    private long lastTotal;

    synchronized void update(String name, long done, long total) {
      if (!interactive) {
        long now = System.nanoTime();
        if (!name.equals(phase)) {
          finishPlain();
          phase = name;
          lastLine = now;
          System.err.printf("%s: %d events%n", name, total);
        } else if (now - lastLine >= PLAIN_EVERY_NANOS) {
          lastLine = now;
          System.err.printf("%s: %d of %d events%n", name, done, total);
        }
        lastDone = done;
        lastTotal = total;
        return;
      }
      if (!name.equals(phase)) {
        close();
        phase = name;
        bar =
            new ProgressBarBuilder()
                .setTaskName(name)
                .setInitialMax(total)
                .setUnit(" events", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(500)
                .showSpeed()
                .setConsumer(new ConsoleProgressBarConsumer(System.err, 100))
                .build();
      }
      bar.stepTo(done);
    }

    private void finishPlain() {
      if (phase != null) {
        System.err.printf("%s: %d of %d events, done%n", phase, lastDone, lastTotal);
      }
    }

    @Override
    public synchronized void close() {
      if (!interactive) {
        finishPlain();
        phase = null;
        return;
      }
      if (bar != null) {
        bar.close();
        bar = null;
      }
    }
  }

  private static void deleteRecursively(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
