package dev.cdcchaos.pipeline.publisher;

import dev.cdcchaos.pipeline.crash.CrashPoints;

/** In which order a claimed batch is sent, acknowledged, marked and committed. */
public interface DeliveryOrder {

  /** Runs the steps of one claimed, non-empty batch. */
  void deliver(BatchSteps steps) throws Exception;

  /** What a delivery order can do with the batch in hand. */
  interface BatchSteps {
    /** Hands every planned send to the producer; the returned acks are awaited separately. */
    PendingSends send() throws Exception;

    /** Marks the batch published (the {@link MarkStrategy}). */
    void mark();

    /** Commits the batch's transaction: locks released, marks visible. */
    void commit();

    /** Reaches a named crash point. */
    void reach(String point);
  }

  /** Sends handed to the producer, not yet known to be acknowledged. */
  interface PendingSends {
    /** Waits for every acknowledgement; throws the first send failure. */
    void awaitAcks() throws Exception;
  }

  /**
   * The correct order: send, wait until every send is acknowledged, mark, commit. A crash anywhere
   * before the commit leaves the rows unpublished, so they are sent again (duplicates, absorbed
   * downstream), never lost.
   */
  final class SendThenMark implements DeliveryOrder {
    @Override
    public void deliver(BatchSteps steps) throws Exception {
      PendingSends pending = steps.send();
      steps.reach(CrashPoints.PUBLISHER_AFTER_SEND);
      pending.awaitAcks();
      steps.reach(CrashPoints.PUBLISHER_BEFORE_MARK);
      steps.mark();
      steps.commit();
    }
  }

  /**
   * Known-bad ({@code mark-before-send}): marks and commits first, then sends. A crash or a failed
   * send after the commit loses the batch: its rows are marked and never sent again.
   */
  final class MarkThenSend implements DeliveryOrder {
    @Override
    public void deliver(BatchSteps steps) throws Exception {
      steps.reach(CrashPoints.PUBLISHER_BEFORE_MARK);
      steps.mark();
      steps.commit();
      PendingSends pending = steps.send();
      steps.reach(CrashPoints.PUBLISHER_AFTER_SEND);
      try {
        pending.awaitAcks();
      } catch (Exception e) {
        System.err.println("publisher: send failed after the batch was marked: " + e);
      }
    }
  }
}
