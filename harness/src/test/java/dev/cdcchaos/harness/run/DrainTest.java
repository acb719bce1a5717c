package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** When a run counts as drained, settled, stalled or out of time, on a hand-driven clock. */
class DrainTest {

  private final AtomicLong clock = new AtomicLong(0);
  private final Drain drain = new Drain(0, Duration.ofSeconds(30), clock::get);

  private static ProgressProbe.Counts counts(long published, long backlog, long applied) {
    return new ProgressProbe.Counts(1_000, published, backlog, applied, 0, Map.of(0, applied));
  }

  private Drain.Outcome look(ProgressProbe.Counts c, boolean caughtUp, boolean publishersAnswer) {
    return drain.step(new Drain.Look(c, caughtUp, true, true, publishersAnswer));
  }

  private void advance(Duration d) {
    clock.addAndGet(d.toNanos());
  }

  @Test
  void caughtUpIsDrainedAtOnce() {
    assertThat(look(counts(1_000, 0, 1_000), true, true)).isEqualTo(Drain.Outcome.DRAINED);
  }

  @Test
  void progressKeepsTheDrainGoing() {
    for (int i = 0; i < 25; i++) {
      assertThat(look(counts(900 + i, 100 - i, 800 + i), false, true))
          .isEqualTo(Drain.Outcome.DRAINING);
      advance(Duration.ofSeconds(1));
    }
  }

  @Test
  void anEmptyOutboxWithNoProgressForTenSecondsHasSettled() {
    ProgressProbe.Counts same = counts(1_000, 0, 990);
    assertThat(look(same, false, true)).isEqualTo(Drain.Outcome.DRAINING);
    advance(Drain.SETTLE);
    assertThat(look(same, false, true))
        .as("not more than the settle time yet")
        .isEqualTo(Drain.Outcome.DRAINING);
    advance(Duration.ofMillis(1));
    assertThat(look(same, false, true)).isEqualTo(Drain.Outcome.SETTLED);
  }

  @Test
  void aPublisherStartedAgainIsNotStalledUntilThePipelineMovedOnce() {
    ProgressProbe.Counts stuck = counts(999, 50, 999);
    drain.step(new Drain.Look(stuck, false, true, true, true, 1));
    drain.step(new Drain.Look(stuck, false, true, true, true, 2)); // restarted
    advance(Drain.STALL.multipliedBy(2));
    assertThat(drain.step(new Drain.Look(stuck, false, true, true, true, 2)))
        .as("still coming up (a Connect worker on a loaded machine): given the whole bound")
        .isEqualTo(Drain.Outcome.DRAINING);
    ProgressProbe.Counts moved = counts(1_000, 49, 1_000);
    drain.step(new Drain.Look(moved, false, true, true, true, 2));
    advance(Drain.STALL.plusMillis(1));
    assertThat(drain.step(new Drain.Look(moved, false, true, true, true, 2)))
        .as("it moved once since its start, and then stopped: a stall")
        .isEqualTo(Drain.Outcome.STALLED);
  }

  @Test
  void unpublishedRowsWithNoProgressWhilePublishersAnswerIsAStall() {
    ProgressProbe.Counts stuck = counts(999, 1, 999);
    look(stuck, false, true);
    advance(Drain.STALL.plusMillis(1));
    assertThat(look(stuck, false, true)).isEqualTo(Drain.Outcome.STALLED);
  }

  @Test
  void unpublishedRowsWhileAPublisherIsDownIsNoStallButRunsOutOfTime() {
    ProgressProbe.Counts stuck = counts(999, 1, 999);
    look(stuck, false, false);
    advance(Drain.STALL.plusMillis(1));
    assertThat(look(stuck, false, false))
        .as("a publisher that does not answer may still send them")
        .isEqualTo(Drain.Outcome.DRAINING);
    advance(Duration.ofSeconds(30));
    assertThat(drain.timedOut()).isTrue();
    assertThat(look(stuck, false, false)).isEqualTo(Drain.Outcome.TIMED_OUT);
  }

  @Test
  void aConsumerStillStartingResetsTheQuietTime() {
    ProgressProbe.Counts same = counts(1_000, 0, 990);
    look(same, false, true);
    advance(Drain.SETTLE.plusSeconds(1));
    assertThat(drain.step(new Drain.Look(same, false, false, true, true)))
        .as("the consumer has not reported since its restart")
        .isEqualTo(Drain.Outcome.DRAINING);
    advance(Duration.ofSeconds(5));
    assertThat(look(same, false, true)).isEqualTo(Drain.Outcome.DRAINING);
  }

  @Test
  void aDeadConsumerNeverCountsAsSettled() {
    ProgressProbe.Counts same = counts(1_000, 0, 990);
    drain.step(new Drain.Look(same, false, true, false, true));
    advance(Drain.SETTLE.plusSeconds(1));
    assertThat(drain.step(new Drain.Look(same, false, true, false, true)))
        .isEqualTo(Drain.Outcome.DRAINING);
  }
}
