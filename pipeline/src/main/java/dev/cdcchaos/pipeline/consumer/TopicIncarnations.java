package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.warehouse.Warehouse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Which incarnation of the topic the consumer reads. A topic deleted and created again keeps its
 * name but gets a new topic id, and its offsets restart at 0: offset 5 of the new one is another
 * record than offset 5 of the old one. The warehouse keeps every incarnation it met ({@code
 * wh_topic_incarnations}); the first one's records are recorded under the topic's name, each later
 * one's under {@code <topic>~<topic id>}, so checkpoints, ledger coordinates, dead letters and lake
 * files of two incarnations never collide.
 *
 * <p>Kafka's consumer records carry no topic id, so the consumer asks for it after every poll that
 * returned records (one metadata request): the same id before and after a poll means every record
 * of that poll came from that incarnation, since an id is never reused.
 */
final class TopicIncarnations implements AutoCloseable {
  /** Separates a topic's name from the id of a later incarnation in the name records carry. */
  static final String SEPARATOR = "~";

  private static final Duration ASK_WITHIN = Duration.ofSeconds(5);

  private final Admin admin;
  private final String topic;

  TopicIncarnations(String bootstrapServers, Map<String, String> kafkaProperties, String topic) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.putAll(kafkaProperties);
    p.put(AdminClientConfig.CLIENT_ID_CONFIG, "cdc-chaos-consumer-topic-ids");
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, String.valueOf(ASK_WITHIN.toMillis()));
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, String.valueOf(ASK_WITHIN.toMillis()));
    this.admin = Admin.create(p);
    this.topic = topic;
  }

  /** The topic's id now; empty while the topic does not exist or Kafka does not answer. */
  Optional<String> currentId() {
    try {
      Uuid id =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(ASK_WITHIN.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic)
              .topicId();
      return id == null || Uuid.ZERO_UUID.equals(id)
          ? Optional.empty()
          : Optional.of(id.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The name the records of incarnation {@code topicId} are recorded under, recording the
   * incarnation in the warehouse the first time it is met: the topic's name for the first
   * incarnation the warehouse meets, {@code <topic>~<topic id>} for each later one.
   */
  static String recordedAs(Warehouse warehouse, String topic, String topicId) {
    Map<String, String> known = warehouse.incarnations(topic);
    String as = known.get(topicId);
    if (as != null) {
      return as;
    }
    as = known.isEmpty() ? topic : topic + SEPARATOR + topicId;
    warehouse.recordIncarnation(topic, topicId, as);
    return as;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }
}
