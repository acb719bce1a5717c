package dev.cdcchaos.harness.run;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Decides when a run has drained after its last fault healed: the pipeline caught up (outbox empty,
 * every partition's checkpoint at its end), or it went quiet in a way that will not change. Fed one
 * {@link Look} per tick; time comes from an injected clock, so the rules are tested without
 * servers.
 *
 * <p>Drained must not mean "every event applied": a pipeline that loses events would then never
 * drain and be reported unknown instead of invalid. So two quiet states end the drain too:
 *
 * <ul>
 *   <li>{@link Outcome#SETTLED}: the outbox is empty and nothing moved for {@link #SETTLE} with the
 *       consumer running, although its checkpoints do not cover the topic;
 *   <li>{@link Outcome#STALLED}: outbox rows are unpublished and nothing moved for {@link #STALL}
 *       although every publisher is up and answering, and the pipeline moved at least once since a
 *       publisher last started (one still coming up is given the whole bound): those rows will
 *       never arrive (a cursor that skipped them, a claim floor that passed them).
 * </ul>
 */
final class Drain {
  static final Duration SETTLE = Duration.ofSeconds(10);
  static final Duration STALL = Duration.ofSeconds(10);

  /** Where the drain stands after a tick. */
  enum Outcome {
    DRAINING,
    /** Caught up: the outbox is empty and the checkpoints reached every partition's end. */
    DRAINED,
    /** Quiet with an empty outbox, but the checkpoints do not cover the topic. */
    SETTLED,
    /** Quiet with unpublished outbox rows although every publisher answers. */
    STALLED,
    /** The bound passed without any of the above. */
    TIMED_OUT;

    /** Whether the pipeline went quiet (the checkers may judge a final state). */
    boolean quiet() {
      return this == DRAINED || this == SETTLED || this == STALLED;
    }
  }

  /**
   * What one tick saw.
   *
   * @param counts the pipeline's progress
   * @param caughtUp the outbox is empty and every checkpoint is at its partition's end
   * @param consumerStarted the consumer reported since its last start (one still starting after a
   *     crash has not had its chance yet)
   * @param consumerRunning the consumer process is alive
   * @param publishersAnswering every publisher is alive and wrote its status recently
   * @param publishersStartedAt when the publisher started last (any value that changes when one is
   *     started again)
   */
  record Look(
      ProgressProbe.Counts counts,
      boolean caughtUp,
      boolean consumerStarted,
      boolean consumerRunning,
      boolean publishersAnswering,
      long publishersStartedAt) {

    Look(
        ProgressProbe.Counts counts,
        boolean caughtUp,
        boolean consumerStarted,
        boolean consumerRunning,
        boolean publishersAnswering) {
      this(counts, caughtUp, consumerStarted, consumerRunning, publishersAnswering, 0);
    }
  }

  private final LongSupplier nanoTime;
  private final long deadlineNanos;
  private ProgressProbe.Counts last;
  private long lastChangeNanos;
  private Long publishersStartedAt;
  private boolean publisherProvedSinceStart = true;

  /**
   * @param fromNanos when the last fault healed
   * @param bound the scenario's {@code converge_within}
   */
  Drain(long fromNanos, Duration bound, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.deadlineNanos = fromNanos + bound.toNanos();
    this.lastChangeNanos = nanoTime.getAsLong();
  }

  /** Whether the bound has passed: no further look is needed. */
  boolean timedOut() {
    return nanoTime.getAsLong() >= deadlineNanos;
  }

  /** Takes one look and says where the drain stands. */
  Outcome step(Look look) {
    long now = nanoTime.getAsLong();
    if (look.caughtUp()) {
      return Outcome.DRAINED;
    }
    ProgressProbe.Counts c = look.counts();
    if (publishersStartedAt != null && publishersStartedAt != look.publishersStartedAt()) {
      // a publisher started again: until the pipeline moves once, it is still coming up (a
      // Kafka Connect worker restarted on a loaded machine took more than 10 s to stream again)
      publisherProvedSinceStart = false;
    }
    publishersStartedAt = look.publishersStartedAt();
    if (last == null || !c.sameProgress(last) || !look.consumerStarted()) {
      if (last != null && !c.sameProgress(last)) {
        publisherProvedSinceStart = true;
      }
      last = c;
      lastChangeNanos = now;
    } else if (c.backlog() == 0
        && now - lastChangeNanos > SETTLE.toNanos()
        && look.consumerRunning()) {
      return Outcome.SETTLED;
    } else if (c.backlog() > 0
        && now - lastChangeNanos > STALL.toNanos()
        && look.consumerRunning()
        && look.publishersAnswering()
        && publisherProvedSinceStart) {
      return Outcome.STALLED;
    }
    return now >= deadlineNanos ? Outcome.TIMED_OUT : Outcome.DRAINING;
  }
}
