package dev.cdcchaos.harness.cli;

/**
 * Whether progress may be drawn: bars redraw one line with carriage returns, which a terminal shows
 * as one moving line and a CI log keeps as hundreds of raw frames. Off a terminal (output piped or
 * redirected, or {@code CI} set) commands write plain lines instead.
 */
final class Terminal {
  private Terminal() {}

  /** Whether this process talks to a person at a terminal. */
  static boolean interactive() {
    String ci = System.getenv("CI");
    return System.console() != null && (ci == null || ci.isBlank() || "false".equals(ci));
  }
}
