package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Picks free loopback ports at run time. A port is free when we could bind it a moment ago; nothing
 * fixes the race with other programs (another cdc-chaos run side by side may take it before our
 * server binds it), so servers started on a picked port detect a {@link PortInUseException} and
 * start again on a fresh port, at most {@link #START_ATTEMPTS} times in all. Ports handed out by
 * this JVM are never handed out twice.
 */
public final class Ports {
  /** How often a server on a picked port is started before a taken port stays an error. */
  static final int START_ATTEMPTS = 3;

  private static final Set<Integer> GIVEN = new HashSet<>();
  private static final Pattern KAFKA_BIND_FAILURE =
      Pattern.compile("failed to bind to \\S*?:(\\d+)");

  private Ports() {}

  /** A loopback port that was free just now and that this JVM has not handed out before. */
  public static synchronized int free() {
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket socket = new ServerSocket()) {
        socket.setReuseAddress(false);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = socket.getLocalPort();
        if (GIVEN.add(port)) {
          return port;
        }
      } catch (IOException e) {
        throw new BadInputException("cannot bind any loopback port: " + e.getMessage(), e);
      }
    }
    throw new BadInputException("no free loopback port found after 50 attempts");
  }

  /**
   * Throws a {@link PortInUseException} naming {@code what} if {@code port} cannot be bound on
   * loopback now.
   */
  public static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new PortInUseException(
          port,
          "port "
              + port
              + " for "
              + what
              + " is in use on 127.0.0.1 ("
              + e.getMessage()
              + "); free it or pick another");
    }
  }

  /** Says on stderr (one line) that a server starts again on a fresh port. */
  static void announceRetry(String what, int taken, int fresh) {
    System.err.println(
        "cdc-chaos: port "
            + taken
            + " picked for "
            + what
            + " was taken by another program before the server bound it; starting it on port "
            + fresh
            + " instead");
  }

  /**
   * The port a Kafka server names in its "Socket server failed to bind to 127.0.0.1:PORT" start-up
   * error, if {@code log} holds one.
   */
  static OptionalInt kafkaBindFailure(String log) {
    Matcher m = KAFKA_BIND_FAILURE.matcher(log);
    return m.find() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
  }
}
