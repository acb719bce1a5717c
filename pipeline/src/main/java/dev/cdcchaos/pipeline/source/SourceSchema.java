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
 *
 * <p>When every table and index already exists it runs no DDL at all: even {@code CREATE INDEX IF
 * NOT EXISTS} first takes a SHARE lock on its table, which waits for any open writer transaction,
 * and every later insert queues behind that waiting lock. A publisher restarting while one
 * application transaction was slow would stop all writes until it committed.
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
    if (allExist(connection)) {
      return;
    }
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

  /** Whether every object the DDL creates is there already (a catalog read, no table lock). */
  private static boolean allExist(Connection connection) throws SQLException {
    return allFound(connection, "SELECT to_regclass(?) IS NOT NULL", createdRelations())
        && allFound(
            connection, "SELECT to_regprocedure(? || '()') IS NOT NULL", createdFunctions());
  }

  /** Whether {@code lookup} (one boolean, one parameter) is true for each of {@code names}. */
  private static boolean allFound(
      Connection connection, String lookup, java.util.List<String> names) throws SQLException {
    try (java.sql.PreparedStatement st = connection.prepareStatement(lookup)) {
      for (String name : names) {
        st.setString(1, name);
        try (java.sql.ResultSet rs = st.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static final java.util.regex.Pattern CREATE_RELATION =
      java.util.regex.Pattern.compile(
          "(?is)^CREATE\\s+(?:UNIQUE\\s+)?(?:TABLE|INDEX)\\s+IF\\s+NOT\\s+EXISTS\\s+(\\w+)");
  private static final java.util.regex.Pattern CREATE_FUNCTION =
      java.util.regex.Pattern.compile(
          "(?is)^CREATE\\s+OR\\s+REPLACE\\s+FUNCTION\\s+(\\w+)\\s*\\(\\)");
  private static final java.util.regex.Pattern ALTER_TABLE =
      java.util.regex.Pattern.compile(
          "(?is)^ALTER\\s+TABLE\\s+IF\\s+EXISTS\\s+\\w+\\s+(?:SET|ALTER)\\s");

  /** The names of the tables and indexes the DDL creates, in its order. */
  static java.util.List<String> createdRelations() {
    return names(CREATE_RELATION);
  }

  /** The names of the functions (without arguments) the DDL creates or replaces, in its order. */
  static java.util.List<String> createdFunctions() {
    return names(CREATE_FUNCTION);
  }

  /**
   * The names that {@code kind} captures, checking on the way that every statement is one of the
   * re-runnable kinds: a create-if-missing of a table or index, a create-or-replace of a function,
   * or an alter of a table's settings (run only with the rest, when something is missing).
   */
  private static java.util.List<String> names(java.util.regex.Pattern kind) {
    java.util.List<String> names = new java.util.ArrayList<>();
    for (String sql : statements()) {
      if (!CREATE_RELATION.matcher(sql).find()
          && !CREATE_FUNCTION.matcher(sql).find()
          && !ALTER_TABLE.matcher(sql).find()) {
        throw new IllegalStateException(
            "source DDL statement is not a re-runnable create of a named table, index or"
                + " function, nor an ALTER TABLE IF EXISTS of its settings: "
                + sql);
      }
      java.util.regex.Matcher m = kind.matcher(sql);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    return names;
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
