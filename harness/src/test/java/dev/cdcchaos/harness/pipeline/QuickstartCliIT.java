package dev.cdcchaos.harness.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.cli.ConnectionSettings;
import dev.cdcchaos.harness.cli.Main;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's quickstart, command by command, against the shared local infrastructure. */
class QuickstartCliIT {

  @Test
  void seedUpdatePublishConsumeQueryStatusReplay() {
    LocalInfrastructure infra = LocalInfrastructure.shared(1);
    Path work = ItDirs.fresh("quickstart-cli");
    String topic = "quickstart-cli-" + ProcessHandle.current().pid();
    infra.kafka().createTopic(topic, 3, 1, Map.of());
    ConnectionSettings settings =
        new ConnectionSettings(
            infra.directJdbcUrl(infra.newDatabase("quickstart_cli")),
            infra.directBootstrap(),
            topic,
            work.resolve("warehouse/warehouse.duckdb").toString(),
            work.resolve("warehouse/lake").toString());
    Path file = work.resolve("connection.json");
    settings.save(file);
    String conn = "--connection=" + file;

    assertThat(Main.run("seed", conn, "--count", "50")).isZero();
    assertThat(Main.run("update", conn, "--order-id", "7", "--status", "SHIPPED")).isZero();
    assertThat(Main.run("update", conn, "--order-id", "8", "--status", "CANCELLED")).isZero();
    assertThat(Main.run("update", conn, "--order-id", "999", "--status", "PAID"))
        .as("an unknown order is bad input")
        .isEqualTo(Main.BAD_INPUT);
    assertThat(Main.run("publish", conn, "--batch-size", "20")).isZero();
    assertThat(Main.run("consume", conn, "--max-messages", "52")).isZero();
    assertThat(Main.run("query", conn, "--limit", "5")).isZero();
    assertThat(Main.run("status", conn)).isZero();
    assertThat(Main.run("replay", conn, "--from", "lake")).as("lake replay equals live").isZero();
    assertThat(Main.run("replay", conn, "--from", "kafka")).as("kafka replay equals live").isZero();

    try (WarehouseReader warehouse = WarehouseReader.open(Path.of(settings.warehousePath()))) {
      assertThat(warehouse.orders()).as("one row per seeded order").hasSize(50);
      assertThat(warehouse.orders().stream().filter(r -> r.orderId() == 7).map(OrderRow::status))
          .containsExactly("SHIPPED");
      assertThat(warehouse.orders().stream().filter(r -> r.orderId() == 8).map(OrderRow::status))
          .containsExactly("CANCELLED");
    }
  }
}
