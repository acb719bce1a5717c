package dev.cdcchaos.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The source-level half of {@link OracleIndependenceTest}: javac inlines compile-time constants
 * (e.g. a {@code static final int} of the pipeline), which then leave no trace in the bytecode
 * ArchUnit reads. No source file of the oracle packages may name the pipeline's package at all.
 */
class OracleSourceIndependenceTest {

  private static final List<String> ORACLE = List.of("check", "model", "observe", "history");

  @Test
  void noOracleSourceNamesThePipeline() throws IOException {
    Path root = Path.of("src/main/java/dev/cdcchaos/harness");
    assertThat(root).as("run in the harness module folder").isDirectory();
    List<String> offenders = new ArrayList<>();
    int files = 0;
    for (String pkg : ORACLE) {
      try (Stream<Path> s = Files.walk(root.resolve(pkg))) {
        for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
          files++;
          List<String> lines = Files.readAllLines(f);
          for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains("dev.cdcchaos.pipeline")) {
              offenders.add(f + ":" + (i + 1) + ": " + lines.get(i).trim());
            }
          }
        }
      }
    }
    assertThat(files).as("oracle source files scanned").isGreaterThan(20);
    assertThat(offenders)
        .as("the oracle must not use the pipeline under test, not even a constant")
        .isEmpty();
  }
}
