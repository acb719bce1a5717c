package dev.cdcchaos.pipeline.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.variant.Variant;
import org.junit.jupiter.api.Test;

class PublisherStrategyTest {

  @Test
  void eachPublisherVariantSwapsExactlyItsOwnSeam() {
    PublisherStrategy cursor = PublisherStrategy.of(Variant.ID_CURSOR_POLLING);
    assertThat(cursor.claim()).isInstanceOf(ClaimStrategy.IdCursor.class);
    assertThat(cursor.order()).isInstanceOf(DeliveryOrder.SendThenMark.class);
    assertThat(cursor.mark()).isInstanceOf(MarkStrategy.ClaimedIds.class);

    PublisherStrategy early = PublisherStrategy.of(Variant.MARK_BEFORE_SEND);
    assertThat(early.claim()).isInstanceOf(ClaimStrategy.SkipLocked.class);
    assertThat(early.order()).isInstanceOf(DeliveryOrder.MarkThenSend.class);
    assertThat(early.mark()).isInstanceOf(MarkStrategy.ClaimedIds.class);

    PublisherStrategy all = PublisherStrategy.of(Variant.MARK_ALL_PUBLISHED);
    assertThat(all.claim()).isInstanceOf(ClaimStrategy.SkipLocked.class);
    assertThat(all.order()).isInstanceOf(DeliveryOrder.SendThenMark.class);
    assertThat(all.mark()).isInstanceOf(MarkStrategy.AllUnpublished.class);
  }

  @Test
  void consumerVariantsGetTheCorrectPublisher() {
    for (Variant v :
        new Variant[] {Variant.CORRECT, Variant.NO_VERSION_GUARD, Variant.OFFSET_BEFORE_WRITE}) {
      PublisherStrategy s = PublisherStrategy.of(v);
      assertThat(s.claim()).as(v.cliName()).isInstanceOf(ClaimStrategy.SkipLocked.class);
      assertThat(s.order()).as(v.cliName()).isInstanceOf(DeliveryOrder.SendThenMark.class);
      assertThat(s.mark()).as(v.cliName()).isInstanceOf(MarkStrategy.ClaimedIds.class);
    }
  }
}
