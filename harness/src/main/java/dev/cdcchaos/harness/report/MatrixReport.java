package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.matrix.Cell;
import dev.cdcchaos.harness.matrix.MatrixResult;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The detection matrix as {@code matrix.md}, a self-contained {@code matrix.html} (the run reports'
 * style) and {@code matrix.json}: variants by scenarios, each cell caught (by which invariants) /
 * missed / error, the correct pipeline's row, and each variant's time to detection.
 */
public final class MatrixReport {

  public static final String MARKDOWN = "matrix.md";
  public static final String HTML = "matrix.html";
  public static final String JSON = "matrix.json";

  private MatrixReport() {}

  /** Writes the three files into {@code reportsDir} (created if needed); returns the HTML path. */
  public static Path write(Path reportsDir, MatrixResult m) {
    try {
      Files.createDirectories(reportsDir);
      Files.writeString(reportsDir.resolve(MARKDOWN), markdown(m), StandardCharsets.UTF_8);
      Files.writeString(reportsDir.resolve(HTML), html(reportsDir, m), StandardCharsets.UTF_8);
      Json.MAPPER.writeValue(reportsDir.resolve(JSON).toFile(), json(m));
      return reportsDir.resolve(HTML);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the detection matrix to " + reportsDir, e);
    }
  }

  /** One line saying whether the matrix holds, and if not why. */
  public static String headline(MatrixResult m) {
    long correctRuns = m.ranCount(Variant.CORRECT);
    if (m.ok()) {
      return "OK: all "
          + m.knownBad().size()
          + " known-bad variants caught; the correct pipeline valid on all "
          + correctRuns
          + " scenarios it ran";
    }
    List<String> why = new ArrayList<>();
    if (m.cells().isEmpty()) {
      why.add("nothing ran");
    }
    if (!m.escaped().isEmpty()) {
      why.add(
          "escaped every scenario: "
              + String.join(", ", m.escaped().stream().map(Variant::cliName).toList()));
    }
    if (!m.correctProblems().isEmpty()) {
      why.add(
          "the correct pipeline was not valid on: "
              + String.join(
                  ", ",
                  m.correctProblems().stream()
                      .map(c -> c.scenario() + " (" + c.text() + ")")
                      .toList()));
    }
    return "NOT OK: " + String.join("; ", why);
  }

  /** The two tiers of known-bad variants, in the order reports show them. */
  public static final List<String> TIERS = List.of("designed", "real-bug");

  /** A tier's heading. */
  public static String tierTitle(String tier) {
    return tier.equals("designed")
        ? "Designed: a mistake at each seam of the pipeline"
        : "Real bugs: each imitates a bug reported in a public tracker";
  }

  static String icon(Cell.Status s) {
    return switch (s) {
      case CAUGHT, VALID -> "✅";
      case MISSED -> "⚪";
      case FAILED -> "❌";
      case UNKNOWN -> "❓";
      case ERROR -> "💥";
    };
  }

  static String markdown(MatrixResult m) {
    StringBuilder md = new StringBuilder("# Detection matrix\n\n");
    md.append(m.ok() ? "✅ " : "❌ ").append(headline(m)).append("\n\n");
    md.append("Started ")
        .append(m.startedAt())
        .append(", ")
        .append(m.cells().size())
        .append(" runs in ")
        .append(Format.millis(m.wallMs()))
        .append(".\n\n");
    md.append("## Time to detection\n");
    for (String tier : TIERS) {
      List<Variant> inTier = m.knownBad(tier);
      if (inTier.isEmpty()) {
        continue;
      }
      md.append("\n### ").append(tierTitle(tier)).append("\n\n");
      md.append(
          "| variant | imitates | first caught by | invariants | time to detection | caught in |\n");
      md.append("|---|---|---|---|---:|---:|\n");
      for (Variant v : inTier) {
        Optional<Cell> d = m.detection(v);
        md.append("| `").append(v.cliName()).append("` | ");
        md.append(v.imitates().orElse("—")).append(" | ");
        if (d.isPresent()) {
          md.append(Format.cell(d.get().scenario()))
              .append(" | ")
              .append(Format.cell(String.join(", ", d.get().invariants())))
              .append(" | ")
              .append(Format.millis(d.get().wallMs()));
        } else {
          md.append("❌ escaped | | ");
        }
        md.append(" | ").append(m.caughtCount(v)).append("/").append(m.ranCount(v)).append(" |\n");
      }
    }
    md.append("\n## Matrix\n\n| variant |");
    for (int i = 0; i < m.scenarios().size(); i++) {
      md.append(" ").append(Format.cell(m.scenarios().get(i))).append(" |");
    }
    md.append("\n|---|");
    md.append("---|".repeat(m.scenarios().size()));
    md.append("\n");
    for (Variant v : m.variants()) {
      md.append("| `").append(v.cliName()).append("` |");
      for (String s : m.scenarios()) {
        md.append(" ")
            .append(
                m.cell(v, s).map(c -> icon(c.status()) + " " + Format.cell(c.text())).orElse("—"))
            .append(" |");
      }
      md.append("\n");
    }
    md.append(
        "\nA variant's cell is ✅ caught (with the invariants that did not hold), ⚪ missed, ❓"
            + " unknown (not judged) or 💥 error; the correct pipeline's cell is ✅ valid or ❌"
            + " failed. — = not run. Time to detection: wall time of the first scenario (in"
            + " column order) that caught the variant, set-up included.\n");
    return md.toString();
  }

  static String html(Path reportsDir, MatrixResult m) {
    Map<String, Object> model = new LinkedHashMap<>();
    model.put("ok", m.ok());
    model.put("okClass", m.ok() ? "valid" : "invalid");
    model.put("headline", headline(m));
    model.put("startedAt", m.startedAt().toString());
    model.put("runs", m.cells().size());
    model.put("wallTime", Format.millis(m.wallMs()));
    List<Map<String, Object>> columns = new ArrayList<>();
    for (int i = 0; i < m.scenarios().size(); i++) {
      columns.add(Map.of("name", m.scenarios().get(i), "n", i + 1));
    }
    model.put("columns", columns);
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Variant v : m.variants()) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("variant", v.cliName());
      row.put("correct", v == Variant.CORRECT);
      List<Map<String, Object>> cells = new ArrayList<>();
      for (String s : m.scenarios()) {
        Map<String, Object> c = new LinkedHashMap<>();
        Optional<Cell> cell = m.cell(v, s);
        c.put("ran", cell.isPresent());
        c.put("scenario", s);
        cell.ifPresent(
            x -> {
              c.put("status", x.status().label());
              c.put("invariants", String.join(", ", x.invariants()));
              c.put("time", Format.millis(x.wallMs()));
              c.put("error", x.error().orElse(""));
              c.put("href", x.runDir().map(d -> link(reportsDir, d)).orElse(""));
              c.put("hasHref", x.runDir().isPresent());
            });
        cells.add(c);
      }
      row.put("cells", cells);
      if (v != Variant.CORRECT) {
        Optional<Cell> d = m.detection(v);
        row.put("tier", v.tier());
        row.put("imitates", v.imitates().orElse(""));
        row.put("detected", d.isPresent());
        row.put("detectedBy", d.map(Cell::scenario).orElse(""));
        row.put("detectedInvariants", d.map(c -> String.join(", ", c.invariants())).orElse(""));
        row.put("detectionTime", d.map(c -> Format.millis(c.wallMs())).orElse(""));
        row.put("caughtIn", m.caughtCount(v) + "/" + m.ranCount(v));
      }
      rows.add(row);
    }
    model.put("rows", rows);
    List<Map<String, Object>> tiers = new ArrayList<>();
    for (String tier : TIERS) {
      List<Map<String, Object>> inTier =
          rows.stream()
              .filter(r -> !(Boolean) r.get("correct") && tier.equals(r.get("tier")))
              .toList();
      if (!inTier.isEmpty()) {
        tiers.add(Map.of("title", tierTitle(tier), "detections", inTier));
      }
    }
    model.put("tiers", tiers);
    model.put("css", HtmlReport.resource("report.css"));
    return HtmlReport.template("matrix.html.mustache").execute(model);
  }

  static Map<String, Object> json(MatrixResult m) {
    Map<String, Object> j = new LinkedHashMap<>();
    j.put("ok", m.ok());
    j.put("headline", headline(m));
    j.put("startedAt", m.startedAt().toString());
    j.put("wallMs", m.wallMs());
    j.put("variants", m.variants().stream().map(Variant::cliName).toList());
    j.put("scenarios", m.scenarios());
    List<Map<String, Object>> detections = new ArrayList<>();
    for (Variant v : m.knownBad()) {
      Map<String, Object> d = new LinkedHashMap<>();
      d.put("variant", v.cliName());
      d.put("tier", v.tier());
      d.put("imitates", v.imitates().orElse(null));
      Optional<Cell> first = m.detection(v);
      d.put("caught", first.isPresent());
      d.put("scenario", first.map(Cell::scenario).orElse(null));
      d.put("invariants", first.map(Cell::invariants).orElse(List.of()));
      d.put("timeToDetectionMs", first.map(Cell::wallMs).orElse(null));
      d.put("caughtBy", m.caughtCount(v));
      d.put("ran", m.ranCount(v));
      detections.add(d);
    }
    j.put("detection", detections);
    j.put("correctProblems", m.correctProblems().stream().map(Cell::scenario).toList());
    List<Map<String, Object>> cells = new ArrayList<>();
    for (Cell c : m.cells()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("variant", c.variant().cliName());
      x.put("scenario", c.scenario());
      x.put("status", c.status().label());
      x.put("invariants", c.invariants());
      x.put("wallMs", c.wallMs());
      x.put("runDir", c.runDir().orElse(null));
      x.put("error", c.error().orElse(null));
      cells.add(x);
    }
    j.put("cells", cells);
    return j;
  }

  private static String link(Path reportsDir, String runDir) {
    Path dir = Path.of(runDir).toAbsolutePath();
    Path base = reportsDir.toAbsolutePath();
    Path target = dir.resolve(ReportWriter.HTML);
    return (dir.startsWith(base) ? base.relativize(target) : target).toString().replace('\\', '/');
  }
}
