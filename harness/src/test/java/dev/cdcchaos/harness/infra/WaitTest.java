package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The one polling wait of the infrastructure, on a clock each poll moves by a second. */
class WaitTest {
  private final long[] now = {0};
  private int polls;

  private Wait threeSeconds() {
    return Wait.upTo(Duration.ofSeconds(3), Duration.ofMillis(1)).withClock(() -> now[0]);
  }

  /** A condition that holds from the {@code n}th poll on; each poll takes a second. */
  private boolean holdsFromPoll(int n) {
    polls++;
    now[0] += 1_000_000_000L;
    return polls >= n;
  }

  @Test
  void aConditionThatHoldsAtOnceIsPolledOnce() {
    assertThat(threeSeconds().until(() -> holdsFromPoll(1))).isTrue();
    assertThat(polls).isEqualTo(1);
  }

  @Test
  void aConditionThatNeverHoldsGivesUpAtTheDeadline() {
    assertThat(threeSeconds().until(() -> holdsFromPoll(Integer.MAX_VALUE))).isFalse();
    assertThat(polls).as("polls at 1 s, 2 s and 3 s, then the deadline").isEqualTo(3);
  }

  @Test
  void aConditionThatHoldsAtTheDeadlineCounts() {
    assertThat(threeSeconds().until(() -> holdsFromPoll(3))).isTrue();
  }

  @Test
  void orFailSaysWhatWasAwaitedAndHowLong() {
    assertThatThrownBy(() -> threeSeconds().orFail("the broker registers", () -> holdsFromPoll(99)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("timed out after 3.0 s waiting until the broker registers");
  }

  @Test
  void anExceptionFromTheConditionEndsTheWait() {
    assertThatThrownBy(
            () ->
                threeSeconds()
                    .until(
                        () -> {
                          polls++;
                          throw new IllegalStateException("the server exited");
                        }))
        .hasMessage("the server exited");
    assertThat(polls).isEqualTo(1);
  }

  @Test
  void anInterruptEndsTheWaitAndKeepsTheFlag() {
    Thread.currentThread().interrupt();
    try {
      assertThatThrownBy(
              () -> Wait.upTo(Duration.ofSeconds(5), Duration.ofMillis(50)).until(() -> false))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("interrupted");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
