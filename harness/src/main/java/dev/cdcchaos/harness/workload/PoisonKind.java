package dev.cdcchaos.harness.workload;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ways a record on the topic can be poison. Each must be rejected by the pipeline's decoder and
 * end in the dead-letter table with its reason; {@link Poison#bytes} makes one of each.
 */
public enum PoisonKind {
  /** Not JSON at all (truncated envelope). */
  MALFORMED_JSON,
  /** Valid JSON, but a number where a string belongs and vice versa. */
  WRONG_TYPES,
  /** Larger than the decoder's size limit. */
  OVERSIZED,
  /** An event type the pipeline does not know. */
  UNKNOWN_TYPE,
  /** The order id is missing. */
  MISSING_ID,
  /** A negative aggregate version. */
  NEGATIVE_VERSION;

  /** The name used in scenario files, e.g. {@code malformed-json}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static Optional<PoisonKind> parse(String name) {
    return Arrays.stream(values()).filter(k -> k.cliName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(PoisonKind::cliName).toList();
  }
}
