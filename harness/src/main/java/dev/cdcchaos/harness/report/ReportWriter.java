package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.history.HistoryJsonl;
import dev.cdcchaos.harness.history.Op;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes one run's folder: {@code results.json} (the {@link RunReport}, machine-readable), {@code
 * history.jsonl}, {@code report.md} and a self-contained {@code report.html}; then points the
 * scenario's {@code latest} link at the newest run.
 */
public final class ReportWriter {

  public static final String RESULTS = "results.json";
  public static final String HISTORY = "history.jsonl";
  public static final String MARKDOWN = "report.md";
  public static final String HTML = "report.html";
  public static final String LATEST = "latest";

  private static final DateTimeFormatter RUN_NAME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);

  private ReportWriter() {}

  /**
   * The folder for a run: {@code reportsDir/<scenario>/<yyyyMMdd-HHmmss-SSS>} (UTC), so runs sort
   * by time; characters other than letters, digits, '.', '_' and '-' in the name become '_'.
   */
  public static Path runDir(Path reportsDir, String scenario, Instant startedAt) {
    return reportsDir.resolve(safeName(scenario)).resolve(RUN_NAME.format(startedAt));
  }

  /** {@code name} as a folder name. */
  public static String safeName(String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return safe.isEmpty() || safe.equals(".") || safe.equals("..") ? "_" : safe;
  }

  /**
   * Writes the four files into {@code runDir} (created if needed) and updates {@code
   * runDir/../latest}.
   *
   * @return the path of {@code report.html}
   */
  public static Path write(Path runDir, RunReport report, List<Op> history) {
    try {
      Files.createDirectories(runDir);
      Json.MAPPER.writeValue(runDir.resolve(RESULTS).toFile(), report);
      HistoryJsonl.write(runDir.resolve(HISTORY), history);
      Files.writeString(
          runDir.resolve(MARKDOWN), MarkdownReport.render(report), StandardCharsets.UTF_8);
      Path html = runDir.resolve(HTML);
      Files.writeString(html, HtmlReport.render(report, history.size()), StandardCharsets.UTF_8);
      if (runDir.toAbsolutePath().getParent() != null) {
        updateLatest(runDir.toAbsolutePath().getParent());
      }
      return html;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report of run " + runDir, e);
    }
  }

  /** Reads a run's {@code results.json}. */
  public static RunReport read(Path runDir) {
    Path file = runDir.resolve(RESULTS);
    try {
      return Json.MAPPER.readValue(file.toFile(), RunReport.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /**
   * Points {@code scenarioDir/latest} at the run with the newest {@code startedAt} (a relative
   * symbolic link, replaced atomically; where links are not supported, a {@code latest} text file
   * naming the run).
   */
  static void updateLatest(Path scenarioDir) throws IOException {
    Optional<Path> newest = newestRun(scenarioDir);
    if (newest.isEmpty()) {
      return;
    }
    Path link = scenarioDir.resolve(LATEST);
    Path target = newest.get().getFileName();
    Path tmp =
        scenarioDir.resolve(".latest-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
    try {
      Files.createSymbolicLink(tmp, target);
      try {
        Files.move(tmp, link, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.deleteIfExists(link);
        Files.move(tmp, link);
      }
    } catch (UnsupportedOperationException | IOException e) {
      Files.deleteIfExists(tmp);
      if (!Files.isSymbolicLink(link)) {
        Files.writeString(link, target + "\n", StandardCharsets.UTF_8);
      }
    }
  }

  /** The run folders of one scenario (those holding a results.json), links skipped. */
  static List<Path> runsOf(Path scenarioDir) throws IOException {
    if (!Files.isDirectory(scenarioDir)) {
      return List.of();
    }
    try (Stream<Path> children = Files.list(scenarioDir)) {
      return children
          .filter(p -> !Files.isSymbolicLink(p))
          .filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .filter(p -> Files.isRegularFile(p.resolve(RESULTS)))
          .sorted()
          .toList();
    }
  }

  private static Optional<Path> newestRun(Path scenarioDir) throws IOException {
    return runsOf(scenarioDir).stream()
        .max(
            Comparator.comparing((Path p) -> startedAt(p))
                .thenComparing(p -> p.getFileName().toString()));
  }

  private static Instant startedAt(Path runDir) {
    try {
      return read(runDir).startedAt();
    } catch (RuntimeException e) {
      return Instant.EPOCH;
    }
  }
}
