package dev.cdcchaos.pipeline.warehouse;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message that could not be parsed or validated, kept with the reason so nothing is lost
 * silently. {@code eventId} is set when the bytes still held a readable one; {@code raw} is the
 * message value as Kafka held it (null for a null value); {@code at} is when it was dead-lettered.
 */
public record DeadLetter(
    String topic,
    int partition,
    long offset,
    String eventId,
    String reason,
    byte[] raw,
    Instant at) {

  public DeadLetter {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(reason, "reason");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d
        && topic.equals(d.topic)
        && partition == d.partition
        && offset == d.offset
        && Objects.equals(eventId, d.eventId)
        && reason.equals(d.reason)
        && Arrays.equals(raw, d.raw)
        && Objects.equals(at, d.at);
  }

  @Override
  public int hashCode() {
    return Objects.hash(topic, partition, offset, eventId, reason, Arrays.hashCode(raw), at);
  }

  @Override
  public String toString() {
    return "DeadLetter[" + topic + "-" + partition + "@" + offset + " " + reason + "]";
  }
}
