package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.net.Links;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/** The shared instance hands the next test healthy infrastructure, whatever the last one broke. */
class SharedInfrastructureIT {

  @Test
  void aPausedBrokerStallsProducersAndTheNextSharedCallRepairsEveryFault() throws Exception {
    LocalInfrastructure infra = LocalInfrastructure.shared(1);
    String topic = "shared-reset";
    infra.kafka().createTopic(topic, 1, 1, Map.of());
    KafkaNode broker = infra.kafka().node(1);

    try (KafkaProducer<String, String> producer =
        KafkaClients.producer(infra.bootstrap(Links.PUBLISHER_TO_KAFKA), Map.of())) {
      producer.send(new ProducerRecord<>(topic, "k", "warm-up")).get(30, TimeUnit.SECONDS);

      broker.pause();
      Future<RecordMetadata> stalled = producer.send(new ProducerRecord<>(topic, "k", "paused"));
      Thread.sleep(1_000);
      assertThat(stalled.isDone()).as("a paused (SIGSTOP) broker acknowledges nothing").isFalse();

      infra.links().partition(Links.WRITER_TO_POSTGRES);
      infra.postgres().kill();

      LocalInfrastructure again = LocalInfrastructure.shared(1);

      assertThat(again).as("one instance per broker count").isSameAs(infra);
      assertThat(broker.isPaused()).as("the broker was resumed").isFalse();
      assertThat(stalled.get(30, TimeUnit.SECONDS).offset())
          .as("the stalled send completes once the broker runs again")
          .isEqualTo(1);
    }
    assertThat(infra.postgres().isRunning()).as("the killed Postgres was restarted").isTrue();
    try (Connection c =
            DriverManager.getConnection(infra.jdbcUrl(Links.WRITER_TO_POSTGRES, "postgres"));
        ResultSet rs = c.createStatement().executeQuery("SELECT 1")) {
      assertThat(rs.next()).as("writer->postgres was healed").isTrue();
    }
  }
}
