package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.IntFunction;

/** Makes the {@link Infrastructure} of a {@link Mode}. */
public final class Infrastructures {
  private Infrastructures() {}

  /**
   * The infrastructure runs of {@code mode} use, per broker count, shared by everything in this JVM
   * and closed when it exits; each use brings it back to a clean state (links healed, servers up).
   * Local servers start on first use. An external infrastructure is connected now, so unreachable
   * servers and bad settings stop the command before any run; a containers infrastructure needs a
   * Docker engine now.
   *
   * @param configFile the settings of {@code external} ({@link ExternalSettings}); ignored by the
   *     other modes
   * @throws BadInputException when the mode cannot be used here, saying why (no Docker engine, an
   *     external server that does not answer, naming it and its address)
   */
  public static IntFunction<Infrastructure> select(Mode mode, Optional<Path> configFile) {
    return switch (mode) {
      case LOCAL -> LocalInfrastructure::shared;
      case CONTAINERS -> {
        ContainersInfrastructure.requireEngine();
        yield ContainersInfrastructure::shared;
      }
      case EXTERNAL -> {
        ExternalInfrastructure infra =
            ExternalInfrastructure.shared(ExternalSettings.load(configFile, System.getenv()));
        yield brokers -> ExternalInfrastructure.shared(infra.settings());
      }
    };
  }

  /**
   * {@link #select} with the mode of {@code -Dcdcchaos.infra} / {@code CDC_CHAOS_INFRA} (local by
   * default) and the settings file of {@code -Dcdcchaos.infraConfig} / {@code
   * CDC_CHAOS_INFRA_CONFIG}: what {@code mvn verify} and the tests use.
   */
  public static IntFunction<Infrastructure> configured() {
    return select(Mode.configured(), ExternalSettings.configuredFile());
  }

  /**
   * Stops with one line when no Docker engine answers here, saying how to get one.
   *
   * @throws BadInputException when there is none
   */
  public static void requireDocker() {
    requireDocker(DockerEngine.unavailable());
  }

  static void requireDocker(Optional<String> unavailable) {
    if (unavailable.isPresent()) {
      throw new BadInputException(
          "--infra containers needs a Docker engine and none answers here ("
              + unavailable.get()
              + "): install one (e.g. apt-get install docker.io, then start dockerd; or Docker"
              + " Desktop) or point DOCKER_HOST at one; --infra local needs no Docker");
    }
  }
}
