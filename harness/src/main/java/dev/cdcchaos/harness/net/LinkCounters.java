package dev.cdcchaos.harness.net;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What the proxies of a link did, summed over them, as read from our Toxiproxy server's {@code GET
 * /counters}: the evidence that a network fault took effect on the wire. Counters only grow; the
 * harness reads them when a fault starts and when it heals and takes the {@link #minus difference}.
 *
 * @param connections client connections accepted
 * @param bytesUpstream bytes read from clients
 * @param bytesDownstream bytes read from servers
 * @param cutByDisable open connections closed because the proxy was disabled (a {@code down}
 *     partition)
 * @param toxics per toxic name ({@code partition_upstream}, {@code latency_downstream} ...) what it
 *     did
 */
public record LinkCounters(
    long connections,
    long bytesUpstream,
    long bytesDownstream,
    long cutByDisable,
    Map<String, ToxicCounts> toxics) {

  /** Nothing counted. */
  public static final LinkCounters ZERO = new LinkCounters(0, 0, 0, 0, Map.of());

  public LinkCounters {
    toxics = Map.copyOf(Objects.requireNonNull(toxics, "toxics"));
  }

  /**
   * What one toxic did over the connections it was installed on.
   *
   * @param connections connections it acted on at least once
   * @param bytesDropped bytes it dropped: a blackhole ({@code timeout}) drops all, {@code
   *     limit_data} what passes its limit
   * @param bytesDelayed bytes it held back before passing them on ({@code latency}, {@code
   *     bandwidth})
   * @param connectionsCut connections it closed ({@code limit_data}, a {@code timeout} running out
   *     or removed)
   * @param connectionsReset connections it reset with a TCP RST ({@code reset_peer})
   * @param closesDelayed connection closes it delayed ({@code slow_close})
   */
  public record ToxicCounts(
      long connections,
      long bytesDropped,
      long bytesDelayed,
      long connectionsCut,
      long connectionsReset,
      long closesDelayed) {

    /** Nothing counted. */
    public static final ToxicCounts ZERO = new ToxicCounts(0, 0, 0, 0, 0, 0);

    public ToxicCounts plus(ToxicCounts o) {
      return new ToxicCounts(
          connections + o.connections,
          bytesDropped + o.bytesDropped,
          bytesDelayed + o.bytesDelayed,
          connectionsCut + o.connectionsCut,
          connectionsReset + o.connectionsReset,
          closesDelayed + o.closesDelayed);
    }

    public ToxicCounts minus(ToxicCounts o) {
      return new ToxicCounts(
          connections - o.connections,
          bytesDropped - o.bytesDropped,
          bytesDelayed - o.bytesDelayed,
          connectionsCut - o.connectionsCut,
          connectionsReset - o.connectionsReset,
          closesDelayed - o.closesDelayed);
    }
  }

  /** The toxic named {@code name}'s counts; zero when it never ran on this link. */
  public ToxicCounts toxic(String name) {
    return toxics.getOrDefault(name, ToxicCounts.ZERO);
  }

  /** The counts of both links' proxies together. */
  public LinkCounters plus(LinkCounters o) {
    return combine(o, 1);
  }

  /** What happened between {@code earlier} and this read. */
  public LinkCounters minus(LinkCounters earlier) {
    return combine(earlier, -1);
  }

  private LinkCounters combine(LinkCounters o, int sign) {
    Map<String, ToxicCounts> merged = new LinkedHashMap<>();
    TreeSet<String> names = new TreeSet<>(toxics.keySet());
    names.addAll(o.toxics.keySet());
    for (String name : names) {
      ToxicCounts mine = toxic(name);
      ToxicCounts theirs = o.toxic(name);
      merged.put(name, sign > 0 ? mine.plus(theirs) : mine.minus(theirs));
    }
    return new LinkCounters(
        connections + sign * o.connections,
        bytesUpstream + sign * o.bytesUpstream,
        bytesDownstream + sign * o.bytesDownstream,
        cutByDisable + sign * o.cutByDisable,
        merged);
  }
}
