package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.util.function.IntFunction;

/** Makes the {@link Infrastructure} of a {@link Mode}. */
public final class Infrastructures {
  private Infrastructures() {}

  /**
   * The infrastructure of {@code mode} with {@code brokers} Kafka brokers shared by everything in
   * this JVM, started (or connected) on first use and closed when the JVM exits. Each call brings
   * it back to a clean state (links healed, servers up).
   *
   * @throws BadInputException when the mode cannot be used here, saying why
   */
  public static Infrastructure shared(Mode mode, int brokers) {
    return switch (mode) {
      case LOCAL -> LocalInfrastructure.shared(brokers);
      case CONTAINERS -> ContainersInfrastructure.shared(brokers);
      case EXTERNAL ->
          throw new BadInputException(
              "--infra external is not built yet: use --infra local (the default)");
    };
  }

  /** {@link #shared(Mode, int)} for each broker count a run asks for. */
  public static IntFunction<Infrastructure> shared(Mode mode) {
    return brokers -> shared(mode, brokers);
  }
}
