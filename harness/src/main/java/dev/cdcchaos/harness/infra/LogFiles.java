package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** Reads the end of a server's log for error messages. */
final class LogFiles {
  private static final int MAX_BYTES = 64 * 1024;

  private LogFiles() {}

  static String tail(Path file, int lines) {
    if (!Files.exists(file)) {
      return "(no log at " + file + ")";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long from = Math.max(0, raf.length() - MAX_BYTES);
      byte[] bytes = new byte[(int) (raf.length() - from)];
      raf.seek(from);
      raf.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\\R"));
      return String.join(
          System.lineSeparator(), all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /**
   * The end of {@code file} from its last line starting with {@code marker} (the line a start
   * writes before launching the server), so that errors of earlier starts do not count.
   */
  static String sinceLast(Path file, String marker) {
    String tail = tail(file, Integer.MAX_VALUE);
    int at = tail.lastIndexOf(System.lineSeparator() + marker);
    if (at >= 0) {
      return tail.substring(at + System.lineSeparator().length());
    }
    return tail;
  }
}
