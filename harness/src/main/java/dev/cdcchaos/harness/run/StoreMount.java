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

  /**
   * The file in each tmpfs the harness mounts naming the harness process (its pid): a harness
   * killed with {@code kill -9} runs no exit hook, and the next mount finds its tmpfs by this file
   * and detaches it ({@link #sweepStale}).
   */
  static final String OWNER = ".cdc-chaos-mount-owner";

  /**
   * Mounts a {@link #SIZE} tmpfs over {@code dir} (created, and empty). It is detached when the JVM
   * exits, should the run not get to {@link #release()}; tmpfs left by a harness that was killed
   * are detached first.
   */
  static StoreMount mount(Path dir) {
    sweepStale(Path.of("/proc/self/mounts"));
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
    try {
      Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
    } catch (IOException e) {
      System.err.println("cannot mark the tmpfs on " + dir + " as ours: " + e.getMessage());
    }
    dev.cdcchaos.harness.infra.ChildProcesses.atExit(m::detach);
    return m;
  }

  /**
   * Detaches every tmpfs listed in {@code mountsTable} (the {@code /proc/self/mounts} format) that
   * holds an {@link #OWNER} file naming a process that is gone; returns the mount points detached.
   */
  static List<Path> sweepStale(Path mountsTable) {
    List<Path> detached = new java.util.ArrayList<>();
    List<String> lines;
    try {
      lines = Files.readAllLines(mountsTable);
    } catch (IOException e) {
      return detached;
    }
    for (String line : lines) {
      String[] f = line.split(" ");
      if (f.length < 3 || !f[2].equals("tmpfs")) {
        continue;
      }
      Path point = Path.of(unescape(f[1]));
      Path owner = point.resolve(OWNER);
      try {
        if (!Files.isRegularFile(owner)) {
          continue;
        }
        long pid = Long.parseLong(Files.readString(owner).trim());
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
      } catch (IOException | NumberFormatException e) {
        continue;
      }
      if (exec(List.of("umount", "-l", point.toString())).isEmpty()) {
        System.err.println("detached the tmpfs a killed harness left on " + point);
        detached.add(point);
      }
    }
    return detached;
  }

  /** {@code /proc/mounts} writes a space, tab, newline and backslash in a path as octal escapes. */
  static String unescape(String field) {
    return field
        .replace("\\040", " ")
        .replace("\\011", "\t")
        .replace("\\012", "\n")
        .replace("\\134", "\\");
  }

  /** At JVM exit: lets go of the tmpfs without keeping its content (the run did not finish). */
  private synchronized void detach() {
    if (mounted) {
      exec(List.of("umount", "-l", dir.toString()));
      mounted = false;
    }
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
    try {
      Files.deleteIfExists(dir.resolve(OWNER));
    } catch (IOException e) {
      // a full tmpfs still lets a file be deleted; if not, the marker is copied with the rest
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
