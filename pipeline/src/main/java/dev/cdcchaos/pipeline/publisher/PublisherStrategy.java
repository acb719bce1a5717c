package dev.cdcchaos.pipeline.publisher;

import dev.cdcchaos.pipeline.variant.Variant;

/**
 * The seams that make a publisher correct or one of its known-bad variants: how rows are claimed,
 * in which order send and mark happen, which rows the mark statement touches, and whether a second
 * path resubmits unpublished rows when the publisher starts ({@code resubmitted-twice}).
 */
public record PublisherStrategy(
    ClaimStrategy claim, DeliveryOrder order, MarkStrategy mark, boolean resubmitsOnStart) {

  public PublisherStrategy(ClaimStrategy claim, DeliveryOrder order, MarkStrategy mark) {
    this(claim, order, mark, false);
  }

  /** The reference publisher. */
  public static PublisherStrategy correct() {
    return new PublisherStrategy(
        new ClaimStrategy.SkipLocked(),
        new DeliveryOrder.SendThenMark(),
        new MarkStrategy.ClaimedIds());
  }

  /** The publisher of {@code variant}; variants of other stages get the correct publisher. */
  public static PublisherStrategy of(Variant variant) {
    PublisherStrategy correct = correct();
    return switch (variant) {
      case ID_CURSOR_POLLING ->
          new PublisherStrategy(new ClaimStrategy.IdCursor(), correct.order(), correct.mark());
      case MARK_BEFORE_SEND ->
          new PublisherStrategy(correct.claim(), new DeliveryOrder.MarkThenSend(), correct.mark());
      case FLOOR_TRUSTS_SNAPSHOT_LIST ->
          new PublisherStrategy(
              ClaimStrategy.SkipLocked.trustingTheSnapshotList(), correct.order(), correct.mark());
      case MARK_ALL_PUBLISHED ->
          new PublisherStrategy(
              correct.claim(), correct.order(), new MarkStrategy.AllUnpublished());
      case RESUBMITTED_TWICE ->
          new PublisherStrategy(correct.claim(), correct.order(), correct.mark(), true);
      default -> correct;
    };
  }
}
