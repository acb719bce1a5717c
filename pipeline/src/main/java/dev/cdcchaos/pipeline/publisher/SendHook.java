package dev.cdcchaos.pipeline.publisher;

import java.util.List;

/**
 * The seam through which the harness disturbs the publisher's sends: it turns a claimed batch (in
 * claim order) into the sequence of sends actually made. Production uses {@link #NONE}.
 *
 * <p>Contract: the plan contains every record of the batch at least once (duplicates and any order
 * are allowed: those are the delivery faults a correct pipeline absorbs). Dropping a record for
 * good is not a delivery fault but a bug, and the publisher rejects such a plan.
 */
public interface SendHook {

  /** Sends every record once, in claim order, without delay. */
  SendHook NONE =
      new SendHook() {
        @Override
        public <T> List<T> plan(List<T> batch) {
          return batch;
        }
      };

  /** The sends to make for {@code batch}, in order. */
  <T> List<T> plan(List<T> batch);

  /** How long to hold the batch before sending it, in milliseconds. */
  default long delayMs() {
    return 0;
  }
}
