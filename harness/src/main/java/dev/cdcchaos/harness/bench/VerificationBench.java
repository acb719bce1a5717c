package dev.cdcchaos.harness.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.report.ReportWriter;
import dev.cdcchaos.harness.report.RunReport;
import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.run.RunOutcome;
import dev.cdcchaos.harness.run.ScenarioRunner;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * How fast the harness verifies, the figures a chaos suite lives by: the wall time of a scenario
 * inside one run of many files (split into phases, the slowest first), one file run end to end
 * through a fresh JVM as a user types it, and how many runs a minute the schedule search sustains.
 * Each figure is measured by doing the thing: real runs on this machine.
 */
public final class VerificationBench {

  /**
   * What to measure.
   *
   * @param files scenario files run one after the other in this JVM (shared servers)
   * @param single the file run end to end through {@code ./cdc-chaos run} in a child JVM
   * @param searchRuns runs of the schedule search timed in a child JVM (0: not measured)
   * @param workDir where the runs' reports go
   */
  public record Options(List<Path> files, Path single, int searchRuns, Path workDir) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Options options;
  private final Consumer<String> progress;

  public VerificationBench(Options options, Consumer<String> progress) {
    this.options = options;
    this.progress = progress;
  }

  /** Runs the three measurements and returns the figures, in the order they are printed. */
  public Map<String, Object> run() throws IOException, InterruptedException {
    Map<String, Object> out = new LinkedHashMap<>();
    inProcess(out);
    if (options.single() != null) {
      endToEnd(out);
    }
    if (options.searchRuns() > 0) {
      search(out);
    }
    lastVerify(Path.of("").toAbsolutePath(), out);
    return out;
  }

  /**
   * The test time of the last {@code ./mvnw -B verify} in {@code project}: the sum of the suites'
   * times in its surefire and failsafe reports (compiling and packaging not included), the slowest
   * suites, and when the reports were written, so that a stale figure shows as one. Says so when
   * there are no reports (no build yet, or not run from the project's folder).
   */
  static void lastVerify(Path project, Map<String, Object> out) {
    Map<String, Double> suites = new LinkedHashMap<>();
    java.util.Set<String> stale = new java.util.TreeSet<>();
    long newest = 0;
    for (String module : List.of("pipeline", "debezium", "harness", "conformance")) {
      for (String kind : List.of("surefire-reports", "failsafe-reports")) {
        Path dir = project.resolve(module).resolve("target").resolve(kind);
        if (!Files.isDirectory(dir)) {
          continue;
        }
        try (Stream<Path> files = Files.list(dir)) {
          for (Path f : files.filter(VerificationBench::isSuiteReport).toList()) {
            String head;
            try (java.io.InputStream in = Files.newInputStream(f)) {
              head = new String(in.readNBytes(4000), java.nio.charset.StandardCharsets.UTF_8);
            }
            java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("<testsuite\\b[^>]*>").matcher(head);
            if (!m.find()) {
              continue;
            }
            String tag = m.group();
            String name = attribute(tag, "name");
            String time = attribute(tag, "time");
            if (name != null && !hasSource(project.resolve(module), name)) {
              // the report of a test class that no longer exists (target/ kept across builds)
              stale.add(name);
              continue;
            }
            if (name != null && time != null) {
              suites.merge(name, Double.parseDouble(time.replace(",", "")), Double::sum);
              newest = Math.max(newest, Files.getLastModifiedTime(f).toMillis());
            }
          }
        } catch (IOException | RuntimeException e) {
          // an unreadable report: counted as missing
        }
      }
    }
    if (suites.isEmpty()) {
      out.put(
          "verify_tests_s",
          "not measured: no surefire or failsafe reports under "
              + project
              + " (run ./mvnw -B verify there first)");
      return;
    }
    double total = suites.values().stream().mapToDouble(Double::doubleValue).sum();
    out.put("verify_tests_s", Math.round(total));
    out.put("verify_reports_written", java.time.Instant.ofEpochMilli(newest).toString());
    Map<String, Long> slowest = new LinkedHashMap<>();
    suites.entrySet().stream()
        .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
        .limit(5)
        .forEach(e -> slowest.put(e.getKey(), Math.round(e.getValue())));
    out.put("verify_slowest_suites_s", slowest);
    if (!stale.isEmpty()) {
      out.put("verify_stale_reports_left_out", List.copyOf(stale));
    }
  }

  /**
   * Whether {@code module} has the source of test class {@code suite} (a nested class counts as its
   * outer class's file); a module without test sources here counts every report.
   */
  static boolean hasSource(Path module, String suite) {
    Path src = module.resolve("src").resolve("test").resolve("java");
    if (!Files.isDirectory(src)) {
      return true;
    }
    String outer = suite.contains("$") ? suite.substring(0, suite.indexOf('$')) : suite;
    return Files.isRegularFile(src.resolve(outer.replace('.', '/') + ".java"));
  }

  private static boolean isSuiteReport(Path f) {
    String n = f.getFileName().toString();
    return n.startsWith("TEST-") && n.endsWith(".xml");
  }

  private static String attribute(String tag, String name) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("\\s" + name + "=\"([^\"]*)\"").matcher(tag);
    return m.find() ? m.group(1) : null;
  }

  /** Scenario wall time inside one run of many files, phase by phase. */
  private void inProcess(Map<String, Object> out) {
    List<Scenario> scenarios = ScenarioLoader.loadFiles(options.files());
    ScenarioRunner runner =
        new ScenarioRunner(
            RunOptions.defaults(options.workDir().resolve("in-process")).withProgress(line -> {}));
    List<Long> walls = new ArrayList<>();
    Map<String, Long> phases = new LinkedHashMap<>();
    Map<String, Long> perScenario = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    for (Scenario s : scenarios) {
      progress.accept("in-process run: " + s.name());
      long t = System.nanoTime();
      RunOutcome o = runner.run(s);
      long wall = (System.nanoTime() - t) / 1_000_000;
      walls.add(wall);
      perScenario.put(s.name() + " (" + o.verdict().overall().label() + ")", wall);
      // a figure from a run that did not hold says why, or nobody can tell a slow run from a
      // broken one
      o.verdict().results().stream()
          .filter(r -> r.verdict() != dev.cdcchaos.harness.check.Verdict.VALID)
          .forEach(
              r ->
                  progress.accept(
                      "  " + r.invariant() + " " + r.verdict().label() + "  " + r.summary()));
      o.phasesMs().forEach((k, v) -> phases.merge(k, v, Long::sum));
    }
    long total = (System.nanoTime() - t0) / 1_000_000;
    List<Long> sorted = walls.stream().sorted().toList();
    out.put("scenarios", scenarios.size());
    out.put("scenario_wall_ms_median", sorted.get(sorted.size() / 2));
    out.put("scenario_wall_ms_max", sorted.get(sorted.size() - 1));
    out.put("scenarios_total_ms", total);
    out.put("scenario_wall_ms", perScenario);
    Map<String, Long> slowestFirst = new LinkedHashMap<>();
    phases.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
        .forEach(e -> slowestFirst.put(e.getKey(), e.getValue() / scenarios.size()));
    out.put("phase_ms_mean_slowest_first", slowestFirst);
  }

  /** One file through {@code ./cdc-chaos run} in a fresh JVM: what a user waits for. */
  private void endToEnd(Map<String, Object> out) throws IOException, InterruptedException {
    Path reports = options.workDir().resolve("end-to-end");
    progress.accept("end to end: ./cdc-chaos run " + options.single());
    long t = System.nanoTime();
    int exit = child(List.of("run", "--reports", reports.toString(), options.single().toString()));
    long wall = (System.nanoTime() - t) / 1_000_000;
    out.put("single_run_wall_ms", wall);
    out.put("single_run_exit", exit);
    Scenario s = ScenarioLoader.load(options.single());
    try (Stream<Path> runs = Files.list(reports.resolve(ReportWriter.safeName(s.name())))) {
      Path runDir =
          runs.filter(p -> Files.isRegularFile(p.resolve(ReportWriter.RESULTS)))
              .findFirst()
              .orElse(null);
      if (runDir != null) {
        RunReport r = ReportWriter.read(runDir);
        // before the run: the JVM's start, the command line, the servers' start
        out.put("single_run_before_scenario_ms", wall - r.wallTimeMs());
        out.put("single_run_scenario_ms", r.wallTimeMs());
      }
    }
  }

  /** Runs per minute of the schedule search, shrinking off, in a fresh JVM. */
  private void search(Map<String, Object> out) throws IOException, InterruptedException {
    Path dir = options.workDir().resolve("search");
    progress.accept("search: " + options.searchRuns() + " runs");
    long t = System.nanoTime();
    int exit =
        child(
            List.of(
                "search",
                "--seed",
                "7000",
                "--runs",
                String.valueOf(options.searchRuns()),
                "--max-shrink-attempts",
                "0",
                "--out",
                dir.toString()));
    double minutes = (System.nanoTime() - t) / 60e9;
    long runs;
    try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
      runs = files.filter(p -> p.getFileName().toString().equals(ReportWriter.RESULTS)).count();
    }
    out.put("search_runs", runs);
    out.put("search_exit", exit);
    out.put("search_minutes", Math.round(minutes * 100) / 100.0);
    out.put("search_runs_per_minute", Math.round(runs / minutes * 10) / 10.0);
  }

  private int child(List<String> args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add("dev.cdcchaos.harness.cli.Main");
    command.addAll(args);
    Files.createDirectories(options.workDir());
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(options.workDir().resolve("child.log").toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the child " + args + " took over an hour");
    }
    return p.exitValue();
  }

  /** The figures as one JSON line. */
  public static String json(Map<String, Object> figures) throws IOException {
    return JSON.writeValueAsString(figures);
  }
}
