package dev.cdcchaos.harness.infra;

import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Waiting for a condition, polled every {@code poll} until it holds or {@code timeout} passes (the
 * idea of Testcontainers' {@code WaitStrategy}): the one deadline loop of the infrastructure. The
 * condition is evaluated once more at the deadline, so a wait never gives up on a condition that
 * holds by then; an exception from the condition ends the wait and propagates (a server that died
 * while starting).
 */
public final class Wait {
  private final Duration timeout;
  private final Duration poll;
  private final LongSupplier clock;

  private Wait(Duration timeout, Duration poll, LongSupplier clock) {
    this.timeout = timeout;
    this.poll = poll;
    this.clock = clock;
  }

  /** A wait of at most {@code timeout}, polling every {@code poll}. */
  public static Wait upTo(Duration timeout, Duration poll) {
    return new Wait(timeout, poll, System::nanoTime);
  }

  /** With {@code clock} (nanoseconds) instead of {@link System#nanoTime()}, for tests. */
  Wait withClock(LongSupplier nanos) {
    return new Wait(timeout, poll, nanos);
  }

  /**
   * Polls {@code condition} until it holds (true) or the timeout passes (false).
   *
   * @throws IllegalStateException when interrupted (the interrupt flag is kept)
   */
  public boolean until(BooleanSupplier condition) {
    long deadline = clock.getAsLong() + timeout.toNanos();
    while (true) {
      if (condition.getAsBoolean()) {
        return true;
      }
      if (clock.getAsLong() - deadline >= 0) {
        return false;
      }
      sleep(poll);
    }
  }

  /**
   * Polls {@code condition} until it holds.
   *
   * @throws IllegalStateException saying what was awaited, and for how long, when it did not hold
   *     in time
   */
  public void orFail(String what, BooleanSupplier condition) {
    if (!until(condition)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "timed out after %.1f s waiting until %s",
              timeout.toMillis() / 1e3,
              what));
    }
  }

  /** {@code upTo(timeout, poll).orFail(what, condition)}. */
  public static void until(
      String what, Duration timeout, Duration poll, BooleanSupplier condition) {
    upTo(timeout, poll).orFail(what, condition);
  }

  /** Sleeps {@code d}; an interrupt ends it with an {@link IllegalStateException}. */
  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis(), d.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
