package dev.cdcchaos.harness.fault;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A pipeline process that died while the harness wanted it up, as the supervisor saw it: the
 * evidence of a crash fault.
 *
 * @param process its name ({@code consumer}, {@code publisher}, {@code publisher-2})
 * @param atMs when the supervisor saw it dead, ms since the run started
 * @param exitCode its exit status, when it could be read
 * @param haltedAt the crash point it wrote to its halt marker before halting; empty when it died
 *     another way
 */
public record Death(String process, long atMs, OptionalInt exitCode, Optional<String> haltedAt) {
  public Death {
    Objects.requireNonNull(process, "process");
    Objects.requireNonNull(exitCode, "exitCode");
    Objects.requireNonNull(haltedAt, "haltedAt");
  }
}
