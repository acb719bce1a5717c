package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValidateCommandTest extends CliTestBase {
  @Test
  void goodFilesPrintOkAndExitZero(@TempDir Path dir) throws Exception {
    Path good = dir.resolve("good.yaml");
    Files.writeString(
        good,
        "seed: 1\nworkload: { orders: 10 }\nfaults:\n  - { at: { after: 1s }, kill: consumer }\n");

    assertThat(run("validate", good.toString())).as(err.toString()).isEqualTo(Main.OK);
    assertThat(out.toString()).isEqualTo("ok  good (1 faults, 10 orders)\n");
  }

  @Test
  void badFilesPrintEveryProblemAndExitTwo(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(
        bad,
        "seed: 1\nworkload: { orders: 10 }\nfaults:\n"
            + "  - { at: { after: 1s }, partition: consumer->kafak }\n"
            + "  - { at: { after: 1x }, kill: consumer }\n");

    assertThat(run("validate", dir.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString())
        .contains(bad + ":4:37: faults[0].partition: unknown link 'consumer->kafak'")
        .contains(bad + ":5:20: faults[1].at.after: found '1x'")
        .contains("2 problems; the format is described in scenarios/README.md");
    assertThat(out.toString()).as("nothing is reported ok when a file is bad").isEmpty();
  }

  @Test
  void aDirectoryWithoutScenariosIsBadInput(@TempDir Path dir) {
    assertThat(run("validate", dir.toString())).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("no scenario files (*.yaml) in [" + dir + "]");
  }
}
