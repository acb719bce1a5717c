package dev.cdcchaos.harness.check;

/**
 * How an observation names the incarnations of a topic deleted and created again during a run (the
 * fault {@code recreate-topic}): offsets restart at 0 in the new incarnation, so its records are
 * other records than the old one's at the same offsets. The first incarnation's records carry the
 * topic's name; each later one's {@code <topic>~<topic id>}. A Kafka topic name cannot hold {@code
 * ~}, so the two never meet. A pipeline that keeps incarnations apart (capability {@code
 * topic-incarnations}) records them under the same names, and the checkers, which compare by
 * (topic, partition, offset), judge each incarnation against its own records and checkpoints.
 */
public final class Incarnations {
  /** Between a topic's name and a later incarnation's topic id. */
  public static final String SEPARATOR = "~";

  private Incarnations() {}

  /**
   * The name records of incarnation {@code topicId} of {@code topic} carry when it is a later one.
   */
  public static String later(String topic, String topicId) {
    return topic + SEPARATOR + topicId;
  }

  /** Whether {@code topic}, as an observation names it, is a later incarnation. */
  public static boolean isLater(String topic) {
    return topic != null && topic.contains(SEPARATOR);
  }
}
