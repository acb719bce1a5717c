package dev.cdcchaos.harness.infra;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topic administration every infrastructure does the same way, whoever runs the brokers: create a
 * topic and wait until each partition has a leader, describe one, find a partition's leader.
 */
final class Topics {
  private Topics() {}

  /**
   * Creates {@code name} and waits until every partition has a leader. The caller checks the
   * replication factor against its brokers first: only it can name them.
   */
  static void create(
      Admin admin,
      String name,
      int partitions,
      int replicationFactor,
      Map<String, String> configs,
      Duration timeout) {
    NewTopic topic =
        new NewTopic(name, partitions, (short) replicationFactor).configs(Map.copyOf(configs));
    try {
      admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot create topic " + name + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted creating topic " + name, e);
    }
    boolean led =
        Wait.upTo(timeout, Duration.ofMillis(20))
            .until(
                () -> {
                  TopicDescription d = describe(admin, name, timeout);
                  return d != null
                      && d.partitions().size() == partitions
                      && d.partitions().stream()
                          .allMatch(p -> p.leader() != null && !p.leader().isEmpty());
                });
    if (!led) {
      throw new IllegalStateException("topic " + name + " has partitions without a leader");
    }
  }

  /** The topic's description, or null when there is no such topic. */
  static TopicDescription describe(Admin admin, String topic, Duration timeout) {
    try {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        return null;
      }
      throw new IllegalStateException("cannot describe topic " + topic + ": " + e.getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("describing topic " + topic + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing topic " + topic, e);
    }
  }

  /** The broker leading {@code topic}'s {@code partition}; empty while it has no leader. */
  static Optional<Node> leader(Admin admin, String topic, int partition, Duration timeout) {
    TopicDescription d = describe(admin, topic, timeout);
    if (d == null) {
      throw new IllegalArgumentException("no topic " + topic);
    }
    return d.partitions().stream()
        .filter(p -> p.partition() == partition)
        .findFirst()
        .map(TopicPartitionInfo::leader)
        .filter(n -> n != null && !n.isEmpty());
  }
}
