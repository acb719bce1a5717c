package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the PostgreSQL server binaries ({@code initdb}, {@code postgres}) are, and their version.
 * Searched in order: {@code $CDC_CHAOS_PG_BINDIR}, {@code PATH}, {@code pg_config --bindir}, then
 * {@code /usr/lib/postgresql/<version>/bin} newest first (Debian and Ubuntu keep them there, off
 * the PATH).
 *
 * @param binDir the directory holding {@code initdb} and {@code postgres}
 * @param version e.g. {@code 15.14}
 */
public record PostgresBinaries(Path binDir, String version) {
  private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\S+)");

  public Path initdb() {
    return binDir.resolve("initdb");
  }

  public Path postgres() {
    return binDir.resolve("postgres");
  }

  /** The first usable installation, or a {@link BadInputException} saying what to install. */
  public static PostgresBinaries find() {
    return find(candidates());
  }

  /** The first usable installation among {@code candidates}, searched in order. */
  public static PostgresBinaries find(List<Path> candidates) {
    for (Path dir : candidates) {
      if (Files.isExecutable(dir.resolve("initdb"))
          && Files.isExecutable(dir.resolve("postgres"))) {
        return new PostgresBinaries(dir, versionOf(dir.resolve("postgres")));
      }
    }
    throw new BadInputException(
        "PostgreSQL server binaries (initdb, postgres) not found in "
            + candidates
            + ". Install them (Debian/Ubuntu: apt-get install postgresql) or set CDC_CHAOS_PG_BINDIR"
            + " to the directory that holds initdb.");
  }

  /** Candidate directories in search order. */
  static List<Path> candidates() {
    List<Path> dirs = new ArrayList<>();
    String override = System.getenv("CDC_CHAOS_PG_BINDIR");
    if (override != null && !override.isBlank()) {
      dirs.add(Path.of(override));
    }
    String path = System.getenv("PATH");
    if (path != null) {
      for (String entry : path.split(java.io.File.pathSeparator)) {
        if (!entry.isBlank() && Files.isExecutable(Path.of(entry, "initdb"))) {
          dirs.add(Path.of(entry));
        }
      }
    }
    Commands.Result pgConfig =
        Commands.run(List.of("pg_config", "--bindir"), Duration.ofSeconds(10));
    if (pgConfig.ok() && !pgConfig.output().isBlank()) {
      dirs.add(Path.of(pgConfig.output().lines().findFirst().orElse("").strip()));
    }
    dirs.addAll(debianInstallations(Path.of("/usr/lib/postgresql")));
    return dirs.stream().distinct().toList();
  }

  /** {@code root/<major>/bin}, newest major first. */
  static List<Path> debianInstallations(Path root) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(p -> p.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .sorted(
              Comparator.comparingDouble((Path p) -> Double.parseDouble(p.getFileName().toString()))
                  .reversed())
          .map(p -> p.resolve("bin"))
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static String versionOf(Path postgres) {
    Commands.Result r =
        Commands.run(List.of(postgres.toString(), "--version"), Duration.ofSeconds(10));
    Matcher m = VERSION.matcher(r.output());
    if (!r.ok() || !m.find()) {
      throw new BadInputException(
          postgres + " --version failed (" + r.output() + "); reinstall PostgreSQL");
    }
    return m.group(1);
  }
}
