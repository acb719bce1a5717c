package dev.cdcchaos.harness.scenario;

/**
 * The Kafka cluster a scenario runs on.
 *
 * @param brokers 1 or 3 KRaft nodes
 * @param partitions partitions of the topic {@code cdc.orders}
 * @param replicationFactor replicas per partition, at most {@code brokers}
 */
public record Topology(int brokers, int partitions, int replicationFactor) {

  public static final int MAX_PARTITIONS = 64;

  /** One broker, three partitions. */
  public static final Topology DEFAULT = new Topology(1, 3, 1);

  public Topology {
    if (brokers != 1 && brokers != 3) {
      throw new IllegalArgumentException("brokers must be 1 or 3, was " + brokers);
    }
    if (partitions < 1 || partitions > MAX_PARTITIONS) {
      throw new IllegalArgumentException("partitions must be in 1.." + MAX_PARTITIONS);
    }
    if (replicationFactor < 1 || replicationFactor > brokers) {
      throw new IllegalArgumentException("replicationFactor must be in 1.." + brokers);
    }
  }

  /** {@code brokers} brokers, every partition replicated on all of them. */
  public static Topology of(int brokers, int partitions) {
    return new Topology(brokers, partitions, brokers);
  }
}
