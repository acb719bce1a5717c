package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresBinariesTest {

  @Test
  void missingBinariesNameThePackageToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> PostgresBinaries.find(List.of(empty)))
        .as("a missing PostgreSQL must say what to install")
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("apt-get install postgresql")
        .hasMessageContaining(empty.toString());
  }

  @Test
  void debianInstallationsAreSearchedNewestFirst(@TempDir Path root) throws IOException {
    for (String v : List.of("9.6", "15", "13", "notaversion")) {
      Files.createDirectories(root.resolve(v).resolve("bin"));
    }
    assertThat(PostgresBinaries.debianInstallations(root))
        .as("newest major version first, numerically (15 before 9.6)")
        .containsExactly(root.resolve("15/bin"), root.resolve("13/bin"), root.resolve("9.6/bin"));
  }
}
