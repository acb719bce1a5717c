package dev.cdcchaos.pipeline.lake;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.PoisonMessageException;

/**
 * A raw Kafka record with what decoding it gave: the event, or the reason it is poison (exactly one
 * of the two is set). The lake stores every record, poison included, because it is the record of
 * what Kafka held.
 */
public record LakeRecord(RawRecord raw, OrderEvent event, String poisonReason) {

  public LakeRecord {
    if ((event == null) == (poisonReason == null)) {
      throw new IllegalArgumentException("exactly one of event and poisonReason must be set");
    }
  }

  /** Decodes {@code raw.value()} with {@link EventCodec}. */
  public static LakeRecord decode(RawRecord raw) {
    try {
      return new LakeRecord(raw, EventCodec.decode(raw.value()), null);
    } catch (PoisonMessageException e) {
      return new LakeRecord(raw, null, e.getMessage());
    }
  }

  public boolean isPoison() {
    return event == null;
  }
}
