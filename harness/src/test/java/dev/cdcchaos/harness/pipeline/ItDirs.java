package dev.cdcchaos.harness.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fresh work directories for pipeline ITs under {@code target/it-work} (JUnit's {@code @TempDir} is
 * mode 700, which keeps the {@code postgres} account out when tests run as root).
 */
final class ItDirs {
  private ItDirs() {}

  static Path fresh(String name) {
    try {
      Path root = Files.createDirectories(Path.of("target", "it-work").toAbsolutePath());
      return Files.createTempDirectory(root, name + "-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
