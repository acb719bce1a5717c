package dev.cdcchaos.harness;

/**
 * A problem the user can fix: a bad scenario file, a missing binary, a port in use. The message
 * says what is wrong, where, and what to do; the CLI prints it without a stack trace and exits 2.
 */
public class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
