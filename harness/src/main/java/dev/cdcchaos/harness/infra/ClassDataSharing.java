package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Application class-data sharing for the child JVMs: a pipeline process or a Kafka broker spends
 * most of its start loading and verifying the same few thousand classes every time, and a run
 * starts dozens of them (every crash, kill and restart is a new JVM). The first JVM of a kind dumps
 * the classes it loaded into an archive when it exits ({@code -XX:ArchiveClassesAtExit}, Java 13+);
 * every later one maps that archive ({@code -XX:SharedArchiveFile}) instead of loading from jars.
 *
 * <p>An archive is keyed by the JDK, the main class and the class path with each jar's size and
 * modification time, so a rebuilt jar gets a new archive instead of one the JVM would refuse. They
 * live in {@code ~/.cache/cdc-chaos/cds} (or {@code $CDC_CHAOS_CDS_DIR}); {@code
 * -Dcdcchaos.cds=false} turns sharing off, and a class path with folders on it (tests under
 * Failsafe) goes without. A JVM that cannot use an archive starts as it would have without.
 */
final class ClassDataSharing {
  private static final AtomicLong DUMPS = new AtomicLong();

  private ClassDataSharing() {}

  /** The JVM options that share classes for this main class and class path; may be none. */
  static List<String> options(String mainClass, List<String> args, String classpath) {
    if ("false".equals(System.getProperty("cdcchaos.cds")) || !onlyJars(classpath)) {
      return List.of();
    }
    try {
      Path dir = directory();
      Files.createDirectories(dir);
      // the role (publisher, consumer ...) is the first argument: each loads other classes
      String kind =
          !args.isEmpty() && args.get(0).matches("[a-z][a-z-]*")
              ? mainClass + " " + args.get(0)
              : mainClass;
      Path archive = dir.resolve(key(kind, classpath) + ".jsa");
      if (Files.isRegularFile(archive)) {
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto", "-Xlog:cds=off");
      }
      Path dump =
          dir.resolve(
              archive.getFileName()
                  + "."
                  + ProcessHandle.current().pid()
                  + "-"
                  + DUMPS.incrementAndGet()
                  + ".tmp");
      // the dump warns about every class too old to archive: not worth a line in the log
      return List.of("-XX:ArchiveClassesAtExit=" + dump, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  /**
   * After a JVM started with {@link #options} exited: moves a dump it left into place as the
   * archive (the first one wins), and removes leftovers.
   */
  static void collect(List<String> options) {
    for (String o : options) {
      if (!o.startsWith("-XX:ArchiveClassesAtExit=")) {
        continue;
      }
      Path dump = Path.of(o.substring("-XX:ArchiveClassesAtExit=".length()));
      String name = dump.getFileName().toString();
      Path archive = dump.resolveSibling(name.substring(0, name.indexOf(".jsa") + 4));
      try {
        if (Files.isRegularFile(dump) && Files.size(dump) > 0 && !Files.exists(archive)) {
          try {
            Files.move(dump, archive, StandardCopyOption.ATOMIC_MOVE);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(dump, archive);
          }
        }
        Files.deleteIfExists(dump);
      } catch (IOException ignored) {
        // another JVM's archive got there first, or the folder went away: nothing is lost
      }
    }
  }

  /**
   * Whether every class path entry is a jar: a JVM refuses to dump an archive for a class path with
   * a non-empty directory (Maven's {@code target/classes} under Failsafe), and then exits with
   * status 1 instead of its own, which would hide a crash point's exit code.
   */
  static boolean onlyJars(String classpath) {
    for (String entry : classpath.split(java.io.File.pathSeparator)) {
      if (!entry.isBlank() && !Files.isRegularFile(Path.of(entry))) {
        return false;
      }
    }
    return true;
  }

  private static Path directory() {
    String env = System.getenv("CDC_CHAOS_CDS_DIR");
    if (env != null && !env.isBlank()) {
      return Path.of(env);
    }
    return Path.of(System.getProperty("user.home"), ".cache", "cdc-chaos", "cds");
  }

  private static String key(String mainClass, String classpath) throws IOException {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(System.getProperty("java.home").getBytes(StandardCharsets.UTF_8));
      md.update(System.getProperty("java.vm.version").getBytes(StandardCharsets.UTF_8));
      md.update(mainClass.getBytes(StandardCharsets.UTF_8));
      for (String entry : classpath.split(java.io.File.pathSeparator)) {
        Path p = Path.of(entry);
        md.update(entry.getBytes(StandardCharsets.UTF_8));
        if (Files.isRegularFile(p)) {
          md.update(Long.toString(Files.size(p)).getBytes(StandardCharsets.UTF_8));
          md.update(
              Long.toString(Files.getLastModifiedTime(p).toMillis())
                  .getBytes(StandardCharsets.UTF_8));
        }
      }
      String simple = mainClass.substring(mainClass.lastIndexOf('.') + 1).replace(' ', '-');
      return simple + "-" + HexFormat.of().formatHex(md.digest(), 0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
