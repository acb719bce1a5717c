package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Picks free loopback ports at run time. A port is free when we could bind it a moment ago; nothing
 * fixes the race with other programs, so callers that bind later must report a clear error on a
 * port in use. Ports handed out by this JVM are never handed out twice.
 */
public final class Ports {
  private static final Set<Integer> GIVEN = new HashSet<>();

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
   * Throws a {@link BadInputException} naming {@code what} if {@code port} cannot be bound on
   * loopback now.
   */
  public static void requireFree(int port, String what) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new BadInputException(
          "port "
              + port
              + " for "
              + what
              + " is in use on 127.0.0.1 ("
              + e.getMessage()
              + "); free it or pick another");
    }
  }
}
