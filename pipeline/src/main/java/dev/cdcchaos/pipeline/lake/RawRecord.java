package dev.cdcchaos.pipeline.lake;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One Kafka record exactly as the broker held it: what the lake keeps, independent of whether the
 * value is a valid event. {@code key} and {@code value} may be null; header values are UTF-8 text.
 */
public record RawRecord(
    String topic,
    int partition,
    long offset,
    long timestampMs,
    byte[] key,
    byte[] value,
    Map<String, String> headers) {

  public RawRecord {
    Objects.requireNonNull(topic, "topic");
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RawRecord r
        && topic.equals(r.topic)
        && partition == r.partition
        && offset == r.offset
        && timestampMs == r.timestampMs
        && Arrays.equals(key, r.key)
        && Arrays.equals(value, r.value)
        && headers.equals(r.headers);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic,
        partition,
        offset,
        timestampMs,
        Arrays.hashCode(key),
        Arrays.hashCode(value),
        headers);
  }

  @Override
  public String toString() {
    return "RawRecord[" + topic + "-" + partition + "@" + offset + "]";
  }
}
