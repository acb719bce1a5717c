package dev.cdcchaos.harness.observe;

import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.EnvelopeReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads the Parquet lake with DuckDB's {@code read_parquet}, not with the pipeline's reader: every
 * row of every file under {@code <lake>/orders/} (hidden files are the writer's unfinished temp
 * files, not part of the lake), each payload decoded by the harness's {@link EnvelopeReader}.
 */
public final class LakeFiles {

  /** The lake's one table folder (ARCHITECTURE.md: {@code lake/orders/date=YYYY-MM-DD/...}). */
  public static final String TABLE = "orders";

  /** Files per query: keeps the SQL text small for a lake of many small batches. */
  private static final int FILES_PER_QUERY = 200;

  private LakeFiles() {}

  /** Every lake row; empty when the lake has no file. The file names are relative to the root. */
  public static List<LakeRecord> read(Path lakeRoot) {
    List<Path> files = files(lakeRoot);
    List<LakeRecord> out = new ArrayList<>();
    if (files.isEmpty()) {
      return out;
    }
    Map<String, String> names = new HashMap<>();
    for (Path f : files) {
      names.put(f.toAbsolutePath().toString(), lakeRoot.relativize(f).toString());
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:");
        Statement st = c.createStatement()) {
      for (int from = 0; from < files.size(); from += FILES_PER_QUERY) {
        List<Path> chunk = files.subList(from, Math.min(files.size(), from + FILES_PER_QUERY));
        String list =
            chunk.stream()
                .map(f -> "'" + f.toAbsolutePath().toString().replace("'", "''") + "'")
                .collect(Collectors.joining(", ", "[", "]"));
        try (ResultSet rs =
            st.executeQuery(
                "SELECT filename, topic, \"partition\", \"offset\", payload FROM read_parquet("
                    + list
                    + ", filename = true)")) {
          while (rs.next()) {
            String file = rs.getString(1);
            out.add(
                new LakeRecord(
                    names.getOrDefault(file, file),
                    rs.getString(2),
                    rs.getInt(3),
                    rs.getLong(4),
                    EnvelopeReader.eventIdOf(rs.getBytes(5))));
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the lake " + lakeRoot + " with read_parquet: " + e.getMessage(), e);
    }
    return out;
  }

  /** The lake's Parquet files in name order, hidden ones left out. */
  static List<Path> files(Path lakeRoot) {
    Path table = lakeRoot.resolve(TABLE);
    if (!Files.isDirectory(table)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the lake folder " + table, e);
    }
  }
}
