package dev.cdcchaos.harness.fault;

/**
 * What the proxies of one link did while a network fault held, from the proxy counters: the traffic
 * that tried to cross, and what the fault's own toxics (or, for a {@code down} partition, the
 * disable) did to it.
 *
 * @param connectionsOpened client connections accepted while the fault held
 * @param bytes bytes read from clients and servers while the fault held (data that tried to cross)
 * @param connectionsHit connections the fault's toxics acted on
 * @param bytesDropped bytes dropped (a blackhole, what passes a data limit)
 * @param bytesDelayed bytes held back before being passed on (latency, bandwidth)
 * @param connectionsCut connections closed by a toxic (data limit, a blackhole's heal)
 * @param connectionsReset connections reset with a TCP RST
 * @param closesDelayed connection closes delayed
 * @param cutByDisable open connections closed when the link went down
 */
public record LinkEffect(
    long connectionsOpened,
    long bytes,
    long connectionsHit,
    long bytesDropped,
    long bytesDelayed,
    long connectionsCut,
    long connectionsReset,
    long closesDelayed,
    long cutByDisable) {

  /** Nothing crossed, nothing was done. */
  public static final LinkEffect IDLE = new LinkEffect(0, 0, 0, 0, 0, 0, 0, 0, 0);
}
