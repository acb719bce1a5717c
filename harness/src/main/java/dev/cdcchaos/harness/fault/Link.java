package dev.cdcchaos.harness.fault;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A client-to-server connection of the pipeline that runs through its own Toxiproxy proxy, so a
 * network fault hits exactly one link and leaves the others alone.
 */
public enum Link {
  PUBLISHER_KAFKA("publisher->kafka"),
  CONSUMER_KAFKA("consumer->kafka"),
  PUBLISHER_POSTGRES("publisher->postgres"),
  WRITER_POSTGRES("writer->postgres");

  private final String cliName;

  Link(String cliName) {
    this.cliName = cliName;
  }

  /** The name used in scenario files, e.g. {@code consumer->kafka}. */
  public String cliName() {
    return cliName;
  }

  /** The Toxiproxy proxy name for this link, e.g. {@code consumer-kafka}. */
  public String proxyName() {
    return cliName.replace("->", "-");
  }

  public static Optional<Link> parse(String name) {
    return Arrays.stream(values()).filter(l -> l.cliName.equals(name)).findFirst();
  }

  public static List<String> names() {
    return Arrays.stream(values()).map(Link::cliName).toList();
  }
}
