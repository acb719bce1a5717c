package dev.cdcchaos.pipeline.event;

/**
 * A message that cannot be parsed or fails validation; {@link #getMessage()} is the reason kept in
 * dead letters.
 */
public class PoisonMessageException extends Exception {
  private static final long serialVersionUID = 1L;

  public PoisonMessageException(String reason) {
    super(reason);
  }

  public PoisonMessageException(String reason, Throwable cause) {
    super(reason, cause);
  }
}
