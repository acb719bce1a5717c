package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input to {@code matrix} is rejected (exit 2) before anything starts. */
class MatrixCommandTest extends CliTestBase {
  @Test
  void anUnknownVariantNamesTheValidOnes(@TempDir Path dir) {
    assertThat(run("matrix", "--variants", "no-version-guard,bogus", "--reports", dir.toString()))
        .isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString())
        .as("the error names the bad value and the valid names")
        .contains("unknown variant 'bogus'")
        .contains("mark-all-published");
  }

  @Test
  void aMissingFileIsBadInput(@TempDir Path dir) {
    assertThat(
            run(
                "matrix",
                "--files",
                dir.resolve("nope.yaml").toString(),
                "--reports",
                dir.toString()))
        .isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("no scenario file").contains("nope.yaml");
  }

  @Test
  void designatedWithoutVariantFilesIsBadInput(@TempDir Path dir) throws Exception {
    Path scenarios = Files.createDirectories(dir.resolve("scenarios"));
    Files.writeString(scenarios.resolve("plain.yaml"), "seed: 1\nworkload: { orders: 10 }\n");
    assertThat(
            run(
                "matrix",
                "--designated",
                "--scenarios",
                scenarios.toString(),
                "--reports",
                dir.resolve("reports").toString()))
        .isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("no file names one of the chosen variants");
  }
}
