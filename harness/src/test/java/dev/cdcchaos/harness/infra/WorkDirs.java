package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh work directories for ITs under {@code target/it-work} (not JUnit's {@code @TempDir}, whose
 * mode 700 keeps the {@code postgres} account out when tests run as root).
 */
final class WorkDirs {
  private WorkDirs() {}

  static Path fresh(String name) {
    try {
      Path root = Files.createDirectories(Path.of("target", "it-work").toAbsolutePath());
      return Files.createTempDirectory(root, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
