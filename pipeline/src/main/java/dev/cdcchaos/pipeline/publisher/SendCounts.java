package dev.cdcchaos.pipeline.publisher;

/**
 * What a send hook did to the sends of a publisher process so far, reported in its status file so
 * the harness can prove that a delivery fault changed something (a {@code duplicate} fault that
 * duplicated nothing proves nothing).
 *
 * @param batches batches planned while a delivery fault was on
 * @param duplicated sends added as second copies of a record
 * @param moved records sent at another position of the batch than their claim position (reorder)
 * @param retried records held back from their first attempt and sent after the rest of the batch
 */
public record SendCounts(long batches, long duplicated, long moved, long retried) {

  /** Nothing changed. */
  public static final SendCounts NONE = new SendCounts(0, 0, 0, 0);

  /** Both counts added. */
  public SendCounts plus(SendCounts other) {
    return new SendCounts(
        batches + other.batches,
        duplicated + other.duplicated,
        moved + other.moved,
        retried + other.retried);
  }
}
