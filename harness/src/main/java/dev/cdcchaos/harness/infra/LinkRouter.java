package dev.cdcchaos.harness.infra;

/**
 * Puts a named client link (e.g. {@code consumer->kafka}) in front of a server port, typically by
 * creating a Toxiproxy proxy, and returns the port clients should use instead. Called once per
 * server port of the link, before the server starts (Kafka advertises the returned port).
 */
@FunctionalInterface
public interface LinkRouter {

  /** No proxy: clients connect to the server port itself. */
  LinkRouter DIRECT = (link, upstreamHost, upstreamPort) -> upstreamPort;

  /**
   * Routes {@code link} to {@code upstreamHost:upstreamPort} and returns the loopback port that
   * clients of this link connect to.
   */
  int route(String link, String upstreamHost, int upstreamPort);
}
