package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;

/**
 * A server could not listen on {@link #port()} because another program holds it. A server whose
 * port the harness picked itself may start again on a fresh one (the port was free when picked, and
 * taken before the server bound it); a port the user asked for stays an error.
 */
public final class PortInUseException extends BadInputException {
  private static final long serialVersionUID = 1L;

  private final int port;

  PortInUseException(int port, String message) {
    super(message);
    this.port = port;
  }

  /** The port that was taken. */
  public int port() {
    return port;
  }
}
