package dev.cdcchaos.pipeline.warehouse;

/** A warehouse operation failed; the batch it belonged to was rolled back. */
public class WarehouseException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WarehouseException(String message, Throwable cause) {
    super(message, cause);
  }
}
