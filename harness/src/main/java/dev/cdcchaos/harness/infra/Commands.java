package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands (initdb, pg_config, chown ...) and returns what they printed. */
final class Commands {
  private Commands() {}

  /** The outcome of a finished command. */
  record Result(int exitCode, String output) {
    boolean ok() {
      return exitCode == 0;
    }
  }

  static Result run(List<String> command, Duration timeout) {
    Path out = null;
    try {
      out = Files.createTempFile("cdc-chaos-cmd", ".log");
      Process p =
          ChildProcesses.register(
              new ProcessBuilder(command)
                  .redirectErrorStream(true)
                  .redirectOutput(out.toFile())
                  .start());
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        ChildProcesses.killTree(p.toHandle());
        return new Result(
            -1,
            "timed out after "
                + timeout.toSeconds()
                + " s: "
                + Files.readString(out, StandardCharsets.UTF_8));
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a leftover temp file is harmless
        }
      }
    }
  }

  /** Whether this JVM runs as root (uid 0), where initdb and postgres refuse to run. */
  static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }
}
