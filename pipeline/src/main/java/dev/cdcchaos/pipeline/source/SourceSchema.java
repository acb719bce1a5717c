package dev.cdcchaos.pipeline.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * Applies the source DDL ({@code db/source/V1__source.sql}, the same file jOOQ generates its
 * classes from) at start. Idempotent, and safe when several processes start at once: the DDL runs
 * in one transaction under an advisory lock.
 */
public final class SourceSchema {

  /** The DDL resource, also the input of jOOQ's code generation. */
  public static final String DDL_RESOURCE = "/db/source/V1__source.sql";

  private static final long LOCK_KEY = 0x63646363L; // "cdcc"

  private SourceSchema() {}

  /** Applies the DDL through a connection of {@code dataSource}. */
  public static void apply(DataSource dataSource) throws SQLException {
    try (Connection connection = dataSource.getConnection()) {
      apply(connection);
    }
  }

  /** Applies the DDL on {@code connection}, restoring its auto-commit mode afterwards. */
  public static void apply(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
      for (String sql : statements()) {
        statement.execute(sql);
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The DDL statements, comments removed. */
  static java.util.List<String> statements() {
    String ddl;
    try (InputStream in = SourceSchema.class.getResourceAsStream(DDL_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("DDL resource " + DDL_RESOURCE + " missing from classpath");
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder noComments = new StringBuilder();
    for (String line : ddl.split("\n")) {
      int dash = line.indexOf("--");
      noComments.append(dash < 0 ? line : line.substring(0, dash)).append('\n');
    }
    return java.util.Arrays.stream(noComments.toString().split(";"))
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .toList();
  }
}
