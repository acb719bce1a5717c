package dev.cdcchaos.harness.cli;

import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.warehouse.Checkpoint;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import dev.cdcchaos.pipeline.warehouse.WarehouseTotals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Where the pipeline stands: outbox backlog in Postgres, per-partition checkpoint and lag against
 * the topic's end, dead letters and duplicates absorbed in the warehouse.
 */
@Command(
    name = "status",
    description = "Outbox backlog, checkpoints and lag per partition, dead letters, duplicates.")
public final class StatusCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Override
  public Integer call() throws Exception {
    ConnectionSettings settings = connection.settings();
    try (Connection c = SourceDatabase.dataSource(settings.jdbcUrl()).getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT count(*), count(*) FILTER (WHERE published_at IS NULL) FROM outbox_events")) {
      rs.next();
      System.out.printf(
          "outbox: %d events, backlog %d unpublished%n", rs.getLong(1), rs.getLong(2));
    }
    Map<Integer, Long> ends = endOffsets(settings);
    Map<Integer, Long> checkpoints = new HashMap<>();
    Path warehouse = Path.of(settings.warehousePath());
    WarehouseTotals totals = null;
    if (Files.exists(warehouse)) {
      try (WarehouseReader reader = QueryCommand.open(warehouse)) {
        for (Checkpoint cp : reader.checkpoints()) {
          if (cp.topic().equals(settings.topic())) {
            checkpoints.put(cp.partition(), cp.nextOffset());
          }
        }
        totals = reader.totals();
      }
    }
    System.out.printf("topic %s:%n", settings.topic());
    System.out.printf("  %9s %12s %12s %8s%n", "partition", "end offset", "checkpoint", "lag");
    long totalLag = 0;
    for (Map.Entry<Integer, Long> e : ends.entrySet()) {
      long checkpoint = checkpoints.getOrDefault(e.getKey(), 0L);
      long lag = Math.max(0, e.getValue() - checkpoint);
      totalLag += lag;
      System.out.printf("  %9d %12d %12d %8d%n", e.getKey(), e.getValue(), checkpoint, lag);
    }
    System.out.printf("  total lag %d%n", totalLag);
    if (totals == null) {
      System.out.println("warehouse: none yet at " + warehouse + " (run `./cdc-chaos consume`)");
    } else {
      System.out.printf(
          "warehouse %s: %d orders, %d events applied, %d duplicates absorbed, %d dead letters%n",
          warehouse, totals.orders(), totals.applied(), totals.duplicates(), totals.deadLettered());
    }
    return Main.OK;
  }

  private static Map<Integer, Long> endOffsets(ConnectionSettings settings) {
    Map<String, Object> props =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            settings.kafkaBootstrap(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(settings.topic(), Duration.ofSeconds(10)).stream()
              .map(p -> new TopicPartition(settings.topic(), p.partition()))
              .toList();
      Map<Integer, Long> ends = new java.util.TreeMap<>();
      consumer
          .endOffsets(partitions, Duration.ofSeconds(10))
          .forEach((tp, end) -> ends.put(tp.partition(), end));
      return ends;
    }
  }
}
