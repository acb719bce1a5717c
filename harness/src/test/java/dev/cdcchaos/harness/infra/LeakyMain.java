package dev.cdcchaos.harness.infra;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child JVM for {@link NoLeakIT}: starts Postgres and a child JVM, writes their pids, then exits
 * without stopping them, as a crashed test would. The shutdown hook must clean up.
 */
public final class LeakyMain {
  private LeakyMain() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    PostgresNode postgres = PostgresNode.create(dir.resolve("postgres"));
    postgres.start();
    JavaProcess ticker =
        JavaProcess.builder("ticker", TickingMain.class.getName())
            .logFile(dir.resolve("ticker.log"))
            .build();
    ticker.start();
    Files.writeString(
        dir.resolve("pids.txt"),
        postgres.pid().orElseThrow() + "\n" + ticker.pid().orElseThrow() + "\n");
    System.exit(3);
  }
}
