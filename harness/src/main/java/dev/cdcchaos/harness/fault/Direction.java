package dev.cdcchaos.harness.fault;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which stream of a link a network fault applies to, in Toxiproxy's terms: upstream is client to
 * server (requests), downstream is server to client (responses).
 */
public enum Direction {
  UPSTREAM,
  DOWNSTREAM,
  BOTH;

  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Direction> parse(String name) {
    return Arrays.stream(values()).filter(d -> d.cliName().equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Direction::cliName).toList();
  }
}
