package dev.cdcchaos.pipeline.source;

import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Connections to the source Postgres. Timeouts are set so that a partitioned or paused database
 * makes calls fail within seconds instead of hanging a writer or publisher forever.
 */
public final class SourceDatabase {

  private SourceDatabase() {}

  /** A data source for {@code jdbcUrl} ({@code jdbc:postgresql://host:port/db?user=...}). */
  public static DataSource dataSource(String jdbcUrl) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException(
          "jdbcUrl must be a jdbc:postgresql: URL, was '" + jdbcUrl + "'");
    }
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(jdbcUrl);
    if (!jdbcUrl.contains("connectTimeout")) {
      ds.setConnectTimeout(5);
    }
    if (!jdbcUrl.contains("socketTimeout")) {
      ds.setSocketTimeout(30);
    }
    ds.setTcpKeepAlive(true);
    return ds;
  }
}
