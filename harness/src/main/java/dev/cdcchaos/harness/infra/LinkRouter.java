package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.net.Links;

/**
 * Puts a named client link (e.g. {@code consumer->kafka}) in front of a server port, typically by
 * creating a Toxiproxy proxy, and returns the port clients should use instead. Called once per
 * server port of the link, before the server starts (Kafka advertises the returned port), and
 * {@link #reroute} when the server had to move to another port.
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

  /**
   * Points the route that returned {@code routedPort} at a new upstream port (the server moved: its
   * picked port was taken before it bound it) and returns the port clients of the link use now. By
   * default it routes anew.
   */
  default int reroute(String link, int routedPort, String upstreamHost, int upstreamPort) {
    return route(link, upstreamHost, upstreamPort);
  }

  /** Routes through proxies of {@code links}; a reroute moves the existing proxy's upstream. */
  static LinkRouter through(Links links) {
    return new LinkRouter() {
      @Override
      public int route(String link, String upstreamHost, int upstreamPort) {
        return links.route(link, upstreamHost, upstreamPort);
      }

      @Override
      public int reroute(String link, int routedPort, String upstreamHost, int upstreamPort) {
        return links.reroute(link, routedPort, upstreamHost, upstreamPort);
      }
    };
  }
}
