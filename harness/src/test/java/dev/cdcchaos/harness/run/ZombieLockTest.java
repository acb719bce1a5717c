package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The zombie fault freezes the first consumer again while it holds the warehouse file; whether it
 * does is read from the file's lock. (Across processes the lock is DuckDB's; the scenario runs of
 * zombie-consumer-fenced-by-the-warehouse and caught-unfenced-stale-checkpoint show that case.)
 */
class ZombieLockTest {

  @TempDir Path dir;

  @Test
  void aMissingOrFreeFileIsNotLockedAndATakenOneIs() throws Exception {
    Path file = dir.resolve("warehouse.duckdb");
    assertThat(Operations.lockedByAnother(file)).as("no file yet").isFalse();
    Files.writeString(file, "x");
    assertThat(Operations.lockedByAnother(file)).as("nobody holds it").isFalse();
    try (FileChannel ch =
            FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock held = ch.lock()) {
      assertThat(Operations.lockedByAnother(file)).as("held").isTrue();
    }
    assertThat(Operations.lockedByAnother(file)).as("let go").isFalse();
  }
}
