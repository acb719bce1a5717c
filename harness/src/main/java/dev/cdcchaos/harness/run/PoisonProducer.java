package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.workload.Poison;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes malformed records straight to the change topic, as a buggy or hostile producer would,
 * and remembers where each landed: the checkers require every one of them in the dead-letter table
 * and in the lake.
 */
final class PoisonProducer implements AutoCloseable {
  private final History history;
  private final String topic;
  private final KafkaProducer<byte[], byte[]> producer;
  private final List<KafkaRecord> injected = new ArrayList<>();
  private final Random random;
  private int published;

  PoisonProducer(History history, String bootstrap, String topic, long seed) {
    this.history = history;
    this.topic = topic;
    this.random = new Random(seed ^ 0x5eed_9015L);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, String.valueOf(4 << 20));
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  /** Publishes one planned poison record of the workload. */
  synchronized void publish(PoisonSpec spec) {
    send(spec.key(), spec.kind(), spec.bytes());
  }

  /**
   * Publishes {@code count} poison records cycling through {@code kinds} (a scenario's poison
   * fault); returns how many Kafka acknowledged.
   */
  synchronized int publish(int count, List<PoisonKind> kinds) {
    int before = published;
    for (int i = 0; i < count; i++) {
      PoisonKind kind = kinds.get(i % kinds.size());
      send("poison-fault-" + published, kind, Poison.bytes(kind, random));
    }
    return published - before;
  }

  private void send(String key, PoisonKind kind, byte[] value) {
    History.Handle h = history.invoke("poisoner", "poison", Map.of("kind", kind.cliName()));
    try {
      RecordMetadata md =
          producer
              .send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value))
              .get();
      injected.add(new KafkaRecord(md.topic(), md.partition(), md.offset(), null));
      published++;
      history.ok(h, Map.of("partition", md.partition(), "offset", md.offset()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      history.info(h, Map.of("error", "interrupted"));
    } catch (ExecutionException e) {
      history.fail(h, Map.of("error", String.valueOf(e.getCause().getMessage())));
      throw new IllegalStateException(
          "cannot publish poison record: " + e.getCause().getMessage(), e);
    }
  }

  /** Where every poison record landed. */
  synchronized List<KafkaRecord> injected() {
    return List.copyOf(injected);
  }

  @Override
  public void close() {
    producer.close();
  }
}
