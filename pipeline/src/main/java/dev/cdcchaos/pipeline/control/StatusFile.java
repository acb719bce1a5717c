package dev.cdcchaos.pipeline.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A process's progress report for the harness, rewritten after every batch. Written to a temp file
 * and renamed over the old one, so a reader never sees half a file, even after a crash.
 */
public final class StatusFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path path;

  /** Writes to {@code path}; null means no status file, writes are ignored. */
  public StatusFile(Path path) {
    this.path = path;
  }

  /** Writes {@code status} (a record or map, serialised with Jackson) atomically. */
  public void write(Object status) {
    if (path == null) {
      return;
    }
    try {
      Path dir = path.toAbsolutePath().getParent();
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, path.getFileName().toString(), ".tmp");
      try {
        Files.write(tmp, JSON.writeValueAsBytes(status));
        Files.move(tmp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write status file " + path, e);
    }
  }
}
