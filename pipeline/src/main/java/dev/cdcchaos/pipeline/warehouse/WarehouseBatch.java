package dev.cdcchaos.pipeline.warehouse;

import java.util.List;

/**
 * One consumer batch as the warehouse applies it, all or nothing: the decoded events (duplicates
 * and several versions of one order allowed), the dead letters and the checkpoints past the batch.
 */
public record WarehouseBatch(
    List<IncomingEvent> events, List<DeadLetter> deadLetters, List<Checkpoint> checkpoints) {

  public WarehouseBatch {
    events = List.copyOf(events);
    deadLetters = List.copyOf(deadLetters);
    checkpoints = List.copyOf(checkpoints);
  }

  public boolean isEmpty() {
    return events.isEmpty() && deadLetters.isEmpty() && checkpoints.isEmpty();
  }
}
