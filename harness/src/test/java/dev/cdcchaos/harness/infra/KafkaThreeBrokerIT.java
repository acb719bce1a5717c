package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.net.Links;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** Three KRaft nodes, RF 3, min ISR 2: a leader's kill -9 must not lose acknowledged records. */
class KafkaThreeBrokerIT {

  @Test
  void killingThePartitionLeaderLosesNoAcknowledgedRecordAndDuplicatesNone() throws Exception {
    long t0 = System.nanoTime();
    LocalInfrastructure infra = LocalInfrastructure.shared(3);
    KafkaCluster kafka = infra.kafka();
    String topic = "leader-kill";
    kafka.createTopic(topic, 1, 3, Map.of("min.insync.replicas", "2"));
    log(t0, "3 brokers up, topic created");

    Set<Integer> acked = ConcurrentHashMap.newKeySet();
    Set<Integer> failed = ConcurrentHashMap.newKeySet();
    AtomicBoolean sending = new AtomicBoolean(true);
    int killedLeader;
    int sent;
    try (KafkaProducer<String, String> producer =
        KafkaClients.producer(
            infra.bootstrap(Links.PUBLISHER_TO_KAFKA),
            Map.of(
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000))) {
      int[] counter = {0};
      Thread sender =
          new Thread(
              () -> {
                while (sending.get()) {
                  int i = counter[0]++;
                  producer.send(
                      new ProducerRecord<>(topic, "k" + (i % 7), Integer.toString(i)),
                      (metadata, error) -> (error == null ? acked : failed).add(i));
                  sleepQuietly(1);
                }
              },
              "leader-kill-sender");
      sender.start();

      awaitAcked(acked, 500);
      log(t0, "500 acknowledged");
      killedLeader = kafka.leaderOf(topic, 0);
      assertThat(killedLeader).as("partition 0 has a leader before the kill").isPositive();
      kafka.node(killedLeader).kill();
      int ackedAtKill = acked.size();
      log(t0, "killed leader kafka-" + killedLeader);

      awaitAcked(acked, ackedAtKill + 500);
      log(t0, "500 more acknowledged");
      sending.set(false);
      sender.join();
      producer.flush();
      sent = counter[0];
    }
    int newLeader = kafka.leaderOf(topic, 0);
    assertThat(newLeader)
        .as("another replica took over partition 0")
        .isPositive()
        .isNotEqualTo(killedLeader);

    List<Integer> read = readAll(kafka.bootstrapServers(), topic);
    log(t0, "read " + read.size() + " records");

    assertThat(new HashSet<>(read))
        .as(
            "every acknowledged record (%d of %d sent, %d failed) is readable",
            acked.size(), sent, failed.size())
        .containsAll(acked);
    assertThat(read).as("the idempotent producer wrote no record twice").doesNotHaveDuplicates();

    kafka.node(killedLeader).start();
    kafka.awaitAllBrokers(Duration.ofSeconds(60));
    assertThat(kafka.node(killedLeader).isRunning()).as("the killed node rejoins").isTrue();
    log(t0, "kafka-" + killedLeader + " rejoined");
  }

  private static void log(long t0, String what) {
    System.out.printf("%6d ms  %s%n", (System.nanoTime() - t0) / 1_000_000, what);
  }

  private static List<Integer> readAll(String bootstrap, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(bootstrap, Map.of())) {
      consumer.assign(List.of(tp));
      consumer.seekToBeginning(List.of(tp));
      long end = consumer.endOffsets(List.of(tp)).get(tp);
      List<Integer> values = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (consumer.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          values.add(Integer.parseInt(r.value()));
        }
      }
      assertThat(consumer.position(tp)).as("read up to the end offset").isEqualTo(end);
      return values;
    }
  }

  private static void awaitAcked(Set<Integer> acked, int count) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (acked.size() < count) {
      assertThat(System.nanoTime())
          .as("the producer should reach %d acknowledged records (has %d)", count, acked.size())
          .isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
