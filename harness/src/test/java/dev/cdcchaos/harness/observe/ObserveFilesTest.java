package dev.cdcchaos.harness.observe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.EventType;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.lake.LakeNaming;
import dev.cdcchaos.pipeline.lake.LakeWriter;
import dev.cdcchaos.pipeline.lake.RawRecord;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The oracle's readers on files the pipeline writes (the pipeline appears here only as the writer
 * of the files, the thing under test): the lake its {@link LakeWriter} writes, read with DuckDB's
 * {@code read_parquet}, and a warehouse of its schema, read by SQL. No server is needed.
 */
class ObserveFilesTest {

  @TempDir Path dir;

  private static OrderEvent event(long order, long version) {
    return new OrderEvent(
        "e-" + order + "-" + version,
        "k-" + order + "-" + version,
        order,
        version == 1 ? EventType.ORDER_CREATED : EventType.ORDER_UPDATED,
        version,
        1,
        Instant.parse("2026-11-24T08:00:00Z"),
        new OrderRow(order, 3, "NEW", 100, "EUR", version, false),
        Map.of("channel", "web"));
  }

  private static RawRecord raw(int partition, long offset, byte[] value) {
    return new RawRecord(
        "cdc.orders",
        partition,
        offset,
        Instant.parse("2026-11-24T08:00:00Z").toEpochMilli(),
        "7".getBytes(StandardCharsets.UTF_8),
        value,
        Map.of());
  }

  @Test
  void theLakeIsReadWithReadParquetAndEveryPayloadDecodedByTheHarness() throws Exception {
    Path lake = dir.resolve("lake");
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    writer.write(
        List.of(
            dev.cdcchaos.pipeline.lake.LakeRecord.decode(raw(0, 0, EventCodec.encode(event(7, 1)))),
            dev.cdcchaos.pipeline.lake.LakeRecord.decode(raw(0, 1, "{oops".getBytes())),
            dev.cdcchaos.pipeline.lake.LakeRecord.decode(raw(1, 0, EventCodec.encode(event(8, 1)))),
            dev.cdcchaos.pipeline.lake.LakeRecord.decode(raw(1, 1, null))));
    // a writer's unfinished temp file is not part of the lake (and not even Parquet)
    Path table = lake.resolve(LakeFiles.TABLE);
    try (var s = Files.walk(table)) {
      Path someDir = s.filter(Files::isDirectory).filter(p -> !p.equals(table)).findFirst().get();
      Files.writeString(someDir.resolve(".cdc.orders-0-2-2.parquet.tmp"), "half a file");
      Files.writeString(someDir.resolve(".hidden.parquet"), "half a file");
    }

    List<LakeRecord> rows = LakeFiles.read(lake);

    assertThat(rows)
        .extracting(
            LakeRecord::topic, LakeRecord::partition, LakeRecord::offset, LakeRecord::eventId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("cdc.orders", 0, 0L, "e-7-1"),
            org.assertj.core.groups.Tuple.tuple("cdc.orders", 0, 1L, null),
            org.assertj.core.groups.Tuple.tuple("cdc.orders", 1, 0L, "e-8-1"),
            org.assertj.core.groups.Tuple.tuple("cdc.orders", 1, 1L, null));
    assertThat(rows)
        .allSatisfy(
            r ->
                assertThat(r.file())
                    .as("file names are relative to the lake root")
                    .startsWith("orders/date=")
                    .endsWith(".parquet"));
    assertThat(LakeFiles.read(dir.resolve("no-lake"))).as("no lake, no rows").isEmpty();
  }

  @Test
  void aWarehouseOfThePipelinesSchemaIsReadBySql() throws Exception {
    Path file = dir.resolve("warehouse.duckdb");
    String ddl;
    try (InputStream in =
        getClass().getClassLoader().getResourceAsStream("db/warehouse/warehouse.sql")) {
      assertThat(in).as("the pipeline's warehouse schema on the classpath").isNotNull();
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    try (Connection c = DriverManager.getConnection("jdbc:duckdb:" + file);
        Statement st = c.createStatement()) {
      st.execute(ddl);
      st.execute(
          "INSERT INTO wh_orders VALUES (7, 3, 'PAID', 1500, 'EUR', 2, false, '{}', now()),"
              + " (8, 3, 'NEW', 100, 'EUR', 3, true, '{}', now())");
      st.execute(
          "INSERT INTO wh_applied_events VALUES ('e-7-2', 7, 2, 'cdc.orders', 1, 4, now(), 1,"
              + " now())");
      st.execute("INSERT INTO wh_customer_totals VALUES (3, 1, 1500)");
      st.execute("INSERT INTO wh_checkpoints VALUES ('cdc.orders', 1, 5)");
      st.execute(
          "INSERT INTO wh_dead_letters VALUES ('cdc.orders', 0, 1, NULL, 'not JSON', NULL,"
              + " now())");
    }

    WarehouseTables.Warehouse wh = WarehouseTables.read(file);

    assertThat(wh.rows())
        .containsExactly(
            new OrderState(7, 3, "PAID", 1500, "EUR", 2, false),
            new OrderState(8, 3, "NEW", 100, "EUR", 3, true));
    assertThat(wh.byOrder()).containsOnlyKeys(7L, 8L);
    assertThat(wh.ledger()).containsExactly(new AppliedEvent("e-7-2", 7, 2, "cdc.orders", 1, 4, 1));
    assertThat(wh.totals()).containsExactly(new CustomerTotal(3, 1, 1500));
    assertThat(wh.checkpoints()).containsExactly(new Checkpoint("cdc.orders", 1, 5));
    assertThat(wh.deadLetters())
        .containsExactly(new DeadLetter("cdc.orders", 0, 1, null, "not JSON"));
  }
}
