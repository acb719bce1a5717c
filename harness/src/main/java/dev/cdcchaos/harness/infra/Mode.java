package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where the servers of a run come from: {@code local} (started from local binaries, the default),
 * {@code containers} (started in Docker by Testcontainers) or {@code external} (servers someone
 * else runs, reached through the settings of {@code ExternalSettings}).
 */
public enum Mode {
  LOCAL,
  CONTAINERS,
  EXTERNAL;

  /** The system property that selects the mode where no option does ({@code mvn verify}). */
  public static final String PROPERTY = "cdcchaos.infra";

  /** The environment variable that selects the mode where neither an option nor the property do. */
  public static final String ENV = "CDC_CHAOS_INFRA";

  /** The name on the command line and in settings: {@code local}, {@code containers} ... */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The mode called {@code text} (any case, surrounding blanks ignored).
   *
   * @throws BadInputException naming the value and the modes when it is none of them
   */
  public static Mode parse(String text) {
    String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
    for (Mode m : values()) {
      if (m.cliName().equals(t)) {
        return m;
      }
    }
    throw new BadInputException(
        "unknown infrastructure '"
            + text
            + "': use one of "
            + String.join(", ", Arrays.stream(values()).map(Mode::cliName).toList()));
  }

  /**
   * The mode selected by {@code -Dcdcchaos.infra}, else by {@code CDC_CHAOS_INFRA}, else {@link
   * #LOCAL}. A blank value counts as unset.
   */
  public static Mode configured() {
    return configured(System::getProperty, System.getenv());
  }

  /** {@link #configured()} over the given system properties and environment. */
  static Mode configured(Function<String, String> properties, Map<String, String> env) {
    return Optional.ofNullable(properties.apply(PROPERTY))
        .filter(v -> !v.isBlank())
        .or(() -> Optional.ofNullable(env.get(ENV)).filter(v -> !v.isBlank()))
        .map(Mode::parse)
        .orElse(LOCAL);
  }
}
