package dev.cdcchaos.harness.workload;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where the workload's writers run: as threads of the harness JVM, or each in a child JVM of its
 * own that the nemesis can kill, pause, restart and crash between the statements of a write.
 */
public enum WritersIn {
  /** Threads of the harness JVM (the default): no process faults reach them. */
  JVM,
  /** One child JVM per writer ({@code writer-0} ..), supervised like the publisher and consumer. */
  PROCESSES;

  /** The name in scenario files. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<WritersIn> parse(String name) {
    return Arrays.stream(values()).filter(w -> w.cliName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(WritersIn::cliName).toList();
  }
}
