package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.net.Links;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One broker of the shared infrastructure, reached through the Toxiproxy links. */
class KafkaSingleBrokerIT {
  private static final AtomicInteger TOPICS = new AtomicInteger();
  private LocalInfrastructure infra;
  private String topic;

  @BeforeEach
  void setUp() {
    infra = LocalInfrastructure.shared(1);
    topic = "single-" + TOPICS.incrementAndGet();
    infra.kafka().createTopic(topic, 1, 1, Map.of());
  }

  @AfterEach
  void heal() {
    infra.links().healAll();
  }

  @Test
  void producesAndConsumesThroughTheLinkProxies() {
    try (KafkaProducer<String, String> producer =
            KafkaClients.producer(infra.bootstrap(Links.PUBLISHER_TO_KAFKA), Map.of());
        KafkaConsumer<String, String> consumer =
            KafkaClients.consumer(infra.bootstrap(Links.CONSUMER_TO_KAFKA), Map.of())) {
      send(producer, 0, 200);
      TopicPartition tp = new TopicPartition(topic, 0);
      consumer.assign(List.of(tp));

      List<ConsumerRecord<String, String>> got =
          KafkaClients.pollUntil(consumer, 200, Duration.ofSeconds(30));

      assertThat(got)
          .extracting(ConsumerRecord::value)
          .as("every record, in order")
          .containsExactlyElementsOf(values(0, 200));
      KafkaNode broker = infra.kafka().node(1);
      assertThat(consumer.partitionsFor(topic).get(0).leader().port())
          .as("the broker advertises the consumer->kafka proxy to clients that came through it")
          .isEqualTo(broker.advertisedPort(Links.CONSUMER_TO_KAFKA))
          .isNotEqualTo(broker.listenPort(Links.CONSUMER_TO_KAFKA))
          .isNotEqualTo(broker.internalPort());
      assertThat(producer.partitionsFor(topic).get(0).leader().port())
          .as("and the publisher->kafka proxy to the producer")
          .isEqualTo(broker.advertisedPort(Links.PUBLISHER_TO_KAFKA));
    }
  }

  @Test
  void aTimeoutToxicStallsTheConsumerOnlyAndRemovingItResumes() {
    try (KafkaProducer<String, String> producer =
            KafkaClients.producer(infra.bootstrap(Links.PUBLISHER_TO_KAFKA), Map.of());
        KafkaConsumer<String, String> consumer =
            KafkaClients.consumer(infra.bootstrap(Links.CONSUMER_TO_KAFKA), Map.of())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      send(producer, 0, 10);
      assertThat(KafkaClients.pollUntil(consumer, 10, Duration.ofSeconds(30))).hasSize(10);

      infra.links().partition(Links.CONSUMER_TO_KAFKA);
      send(producer, 10, 50);
      List<ConsumerRecord<String, String>> during =
          KafkaClients.pollUntil(consumer, 40, Duration.ofSeconds(2));
      assertThat(during).as("a partitioned consumer->kafka link delivers nothing").isEmpty();

      infra.links().heal(Links.CONSUMER_TO_KAFKA);
      List<ConsumerRecord<String, String>> after =
          KafkaClients.pollUntil(consumer, 40, Duration.ofSeconds(30));
      assertThat(after)
          .extracting(ConsumerRecord::value)
          .as("after healing the consumer gets what was produced during the partition")
          .containsExactlyElementsOf(values(10, 50));
    }
  }

  @Test
  void latencyIsMeasuredByTheClient() throws Exception {
    try (KafkaProducer<String, String> producer =
        KafkaClients.producer(infra.bootstrap(Links.PUBLISHER_TO_KAFKA), Map.of())) {
      send(producer, 0, 5);
      long before = medianSendMillis(producer);

      infra.links().latency(Links.PUBLISHER_TO_KAFKA, 400, 0);
      long delayed = medianSendMillis(producer);
      infra.links().heal(Links.PUBLISHER_TO_KAFKA);
      long healed = medianSendMillis(producer);

      assertThat(delayed)
          .as("a 400 ms latency toxic delays each acknowledged send (before: %d ms)", before)
          .isGreaterThanOrEqualTo(400)
          .isLessThan(before + 2_000);
      assertThat(healed).as("healing removes the delay").isLessThan(delayed - 300);
    }
  }

  @Test
  void resetPeerMakesTheClientReconnect() {
    try (KafkaProducer<String, String> producer =
            KafkaClients.producer(infra.bootstrap(Links.PUBLISHER_TO_KAFKA), Map.of());
        KafkaConsumer<String, String> consumer =
            KafkaClients.consumer(infra.bootstrap(Links.CONSUMER_TO_KAFKA), Map.of())) {
      consumer.assign(List.of(new TopicPartition(topic, 0)));
      send(producer, 0, 10);
      assertThat(KafkaClients.pollUntil(consumer, 10, Duration.ofSeconds(30))).hasSize(10);
      double connectionsBefore =
          KafkaClients.metric(consumer.metrics(), "consumer-metrics", "connection-creation-total");

      infra.links().resetPeer(Links.CONSUMER_TO_KAFKA, 0);
      send(producer, 10, 30);
      List<ConsumerRecord<String, String>> during =
          KafkaClients.pollUntil(consumer, 20, Duration.ofSeconds(2));
      infra.links().heal(Links.CONSUMER_TO_KAFKA);
      List<ConsumerRecord<String, String>> after =
          KafkaClients.pollUntil(consumer, 20 - during.size(), Duration.ofSeconds(30));

      double connectionsAfter =
          KafkaClients.metric(consumer.metrics(), "consumer-metrics", "connection-creation-total");
      assertThat(connectionsAfter)
          .as("reset connections make the consumer open new ones")
          .isGreaterThan(connectionsBefore);
      assertThat(Stream2.concat(during, after))
          .extracting(ConsumerRecord::value)
          .as("the consumer carries on after reconnecting, nothing lost or repeated")
          .containsExactlyElementsOf(values(10, 30));
    }
  }

  private long medianSendMillis(KafkaProducer<String, String> producer) throws Exception {
    long[] times = new long[5];
    for (int i = 0; i < times.length; i++) {
      long t0 = System.nanoTime();
      producer.send(new ProducerRecord<>(topic, "k", "timed")).get(30, TimeUnit.SECONDS);
      times[i] = (System.nanoTime() - t0) / 1_000_000;
    }
    java.util.Arrays.sort(times);
    return times[times.length / 2];
  }

  private void send(KafkaProducer<String, String> producer, int from, int to) {
    for (int i = from; i < to; i++) {
      producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
    }
    producer.flush();
  }

  private static List<String> values(int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(i -> "v" + i).toList();
  }

  /** Joins two lists. */
  private static final class Stream2 {
    static <T> List<T> concat(List<T> a, List<T> b) {
      return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
  }
}
