package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.infra.ExternalSettings;
import dev.cdcchaos.harness.infra.Infrastructure;
import dev.cdcchaos.harness.infra.Infrastructures;
import dev.cdcchaos.harness.infra.Mode;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;
import picocli.CommandLine.Option;

/**
 * {@code --infra local|containers|external} and {@code --infra-config FILE}, for commands that run
 * servers.
 */
public final class InfraOption {

  @Option(
      names = "--infra",
      paramLabel = "local|containers|external",
      description =
          "Where the servers come from: local (started from local binaries, the default),"
              + " containers (Docker), external (servers you run; see --infra-config). Default:"
              + " -Dcdcchaos.infra or CDC_CHAOS_INFRA, else local.")
  String mode;

  @Option(
      names = "--infra-config",
      paramLabel = "FILE",
      description =
          "Settings of --infra external (properties: postgres.url, kafka.bootstrap, toxiproxy.url,"
              + " ...; README 'Where the servers come from'). Keys in the file win over CDC_CHAOS_*"
              + " environment variables, which win over the defaults (docker-compose.yml).")
  Path config;

  /** The mode chosen: the option, else the property or environment, else local. */
  Mode mode() {
    return mode == null ? Mode.configured() : Mode.parse(mode);
  }

  /**
   * The infrastructure per broker count; connects to external servers now, so that one that does
   * not answer stops the command (exit 2) before any run.
   */
  IntFunction<Infrastructure> select() {
    return Infrastructures.select(
        mode(), Optional.ofNullable(config).or(ExternalSettings::configuredFile));
  }
}
