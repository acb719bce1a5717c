package dev.cdcchaos.harness.run;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A size-limited tmpfs the harness mounts over a store's directory for a {@code disk-full} run, so
 * that filling it fills only that store. Mounting needs root (or CAP_SYS_ADMIN); {@link #whyNot()}
 * says when it is not permitted, and the scenario is then not applicable. {@link #release()} keeps
 * what the store holds (copies it to the disk, unmounts, puts it back in place) so that the
 * observation and the report read it as any other run's.
 */
final class StoreMount {
  /** The tmpfs size: room for a small scenario's lake many times over. */
  static final String SIZE = "64m";

  private final Path dir;
  private boolean mounted;

  private StoreMount(Path dir) {
    this.dir = dir;
  }

  /**
   * Why a tmpfs cannot be mounted here, or empty when it can (a trial mount on a scratch directory
   * succeeded and was undone).
   */
  static Optional<String> whyNot(Path scratchParent) {
    Path probe = scratchParent.resolve(".mount-probe");
    try {
      Files.createDirectories(probe);
      Optional<String> failed =
          exec(List.of("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", probe.toString()));
      if (failed.isPresent()) {
        return failed;
      }
      exec(List.of("umount", probe.toString()));
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of(e.getMessage());
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        // a leftover empty directory in the run's work folder
      }
    }
  }

  /** Mounts a {@link #SIZE} tmpfs over {@code dir} (created, and empty). */
  static StoreMount mount(Path dir) {
    StoreMount m = new StoreMount(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + dir, e);
    }
    exec(List.of("mount", "-t", "tmpfs", "-o", "size=" + SIZE, "tmpfs", dir.toString()))
        .ifPresent(
            why -> {
              throw new IllegalStateException("cannot mount a tmpfs on " + dir + ": " + why);
            });
    m.mounted = true;
    return m;
  }

  Path dir() {
    return dir;
  }

  /**
   * Copies the store's content to the disk, unmounts the tmpfs and puts the content back where it
   * was; idempotent.
   */
  synchronized void release() {
    if (!mounted) {
      return;
    }
    Path saved = dir.resolveSibling(dir.getFileName() + ".saved");
    exec(List.of("cp", "-a", dir.toString(), saved.toString()))
        .ifPresent(why -> System.err.println("cannot keep the content of " + dir + ": " + why));
    Optional<String> failed = exec(List.of("umount", dir.toString()));
    if (failed.isPresent()) {
      // busy: detach it, so that it goes once nothing uses it
      exec(List.of("umount", "-l", dir.toString()));
    }
    mounted = false;
    try {
      if (Files.isDirectory(saved)) {
        Files.deleteIfExists(dir);
        Files.move(saved, dir, StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot put the content of " + dir + " back in place", e);
    }
  }

  /**
   * Fills the file system of the store: a hidden file ({@code .disk-full.fill}, which no reader of
   * the lake takes for data) written with zeros until the file system refuses more.
   */
  Path fill() {
    Path file = dir.resolve(".disk-full.fill");
    byte[] mib = new byte[1 << 20];
    byte[] page = new byte[4096];
    try (OutputStream out = Files.newOutputStream(file)) {
      try {
        while (true) {
          out.write(mib);
        }
      } catch (IOException full) {
        // the last bytes, a page at a time
      }
      try {
        while (true) {
          out.write(page);
          out.flush();
        }
      } catch (IOException full) {
        // full
      }
    } catch (IOException e) {
      // closing a stream whose last write failed: the file is as full as it gets
    }
    return file;
  }

  long usable() {
    try {
      return Files.getFileStore(dir).getUsableSpace();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the free space of " + dir, e);
    }
  }

  /** Runs {@code command}; empty when it exited 0, else what it said. */
  private static Optional<String> exec(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return Optional.of(String.join(" ", command) + " did not finish in 30 s");
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0
          ? Optional.empty()
          : Optional.of(
              String.join(" ", command)
                  + " exited "
                  + p.exitValue()
                  + (out.isEmpty() ? "" : ": " + out));
    } catch (IOException e) {
      return Optional.of(String.join(" ", command) + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted: " + String.join(" ", command));
    }
  }
}
