package dev.cdcchaos.harness.scenario;

/**
 * The Kafka cluster a scenario runs on, and how many publisher processes share the outbox.
 *
 * @param brokers 1 or 3 KRaft nodes
 * @param partitions partitions of the topic {@code cdc.orders}
 * @param replicationFactor replicas per partition, at most {@code brokers}
 * @param publishers publisher JVMs claiming from the one outbox at once, 1..{@link #MAX_PUBLISHERS}
 */
public record Topology(int brokers, int partitions, int replicationFactor, int publishers) {

  public static final int MAX_PARTITIONS = 64;

  public static final int MAX_PUBLISHERS = 4;

  /** One broker, three partitions, one publisher. */
  public static final Topology DEFAULT = new Topology(1, 3, 1, 1);

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
    if (publishers < 1 || publishers > MAX_PUBLISHERS) {
      throw new IllegalArgumentException(
          "publishers must be in 1.." + MAX_PUBLISHERS + ", was " + publishers);
    }
  }

  /** One publisher. */
  public Topology(int brokers, int partitions, int replicationFactor) {
    this(brokers, partitions, replicationFactor, 1);
  }

  /** {@code brokers} brokers, every partition replicated on all of them, one publisher. */
  public static Topology of(int brokers, int partitions) {
    return new Topology(brokers, partitions, brokers);
  }

  /** This topology with {@code n} publishers. */
  public Topology withPublishers(int n) {
    return new Topology(brokers, partitions, replicationFactor, n);
  }
}
