package dev.cdcchaos.pipeline.lake;

import static dev.cdcchaos.pipeline.warehouse.TestEvents.TOPIC;
import static dev.cdcchaos.pipeline.warehouse.TestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.OrderEvent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LakeTest {
  private static final long TS = Instant.parse("2026-11-24T23:59:59Z").toEpochMilli();

  @TempDir Path lake;

  static RawRecord raw(int partition, long offset, byte[] value) {
    return new RawRecord(
        TOPIC,
        partition,
        offset,
        TS + offset,
        ("k" + offset).getBytes(StandardCharsets.UTF_8),
        value,
        Map.of("eventType", "ORDER_CREATED"));
  }

  static LakeRecord good(int partition, long offset, OrderEvent e) {
    return LakeRecord.decode(raw(partition, offset, EventCodec.encode(e)));
  }

  /** {@code e} as written by a writer whose clock read {@code at}. */
  private static OrderEvent at(OrderEvent e, String at) {
    return new OrderEvent(
        e.eventId(),
        e.idempotencyKey(),
        e.orderId(),
        e.type(),
        e.version(),
        e.schemaVersion(),
        Instant.parse(at),
        e.state(),
        e.extras());
  }

  @Test
  void eachEventGoesUnderItsOwnDateWhateverItsBatchAndKafkaTimestampSay() throws Exception {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    List<Path> files =
        writer.write(
            List.of(
                good(0, 4, event(1, 1, "NEW", 10)),
                good(0, 5, at(event(2, 1, "NEW", 20), "2026-11-25T01:00:00Z")),
                good(0, 6, at(event(3, 1, "NEW", 30), "2026-11-23T23:00:00Z")),
                good(0, 7, event(4, 1, "NEW", 40))));
    assertThat(files)
        .as("a record of a jumped clock is filed under its own date, not its batch's")
        .containsExactlyInAnyOrder(
            lake.resolve("orders/date=2026-11-24/cdc.orders-0-4-7.parquet"),
            lake.resolve("orders/date=2026-11-25/cdc.orders-0-5-5.parquet"),
            lake.resolve("orders/date=2026-11-23/cdc.orders-0-6-6.parquet"));
    assertThat(LakeReader.readAll(lake))
        .extracting(r -> r.raw().partition() + "@" + r.raw().offset())
        .containsExactly("0@4", "0@5", "0@6", "0@7");
  }

  @Test
  void onePartitionPerFileNamedByDateAndOffsetRange() throws Exception {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    List<Path> files =
        writer.write(
            List.of(
                good(1, 7, event(1, 1, "NEW", 10)),
                good(0, 4, event(2, 1, "NEW", 20)),
                good(1, 5, event(3, 1, "NEW", 30)),
                LakeRecord.decode(raw(0, 5, "{oops".getBytes(StandardCharsets.UTF_8)))));
    assertThat(files)
        .as("one file per partition, named <topic>-<partition>-<first>-<last> under the date")
        .containsExactlyInAnyOrder(
            lake.resolve("orders/date=2026-11-24/cdc.orders-0-4-5.parquet"),
            lake.resolve("orders/date=2026-11-24/cdc.orders-1-5-7.parquet"));
    List<LakeRecord> back = LakeReader.readAll(lake);
    assertThat(back)
        .extracting(r -> r.raw().partition() + "@" + r.raw().offset())
        .as("every record comes back, poison included, sorted")
        .containsExactly("0@4", "0@5", "1@5", "1@7");
    assertThat(back.get(1).poisonReason()).as("poison kept raw").startsWith("not JSON");
    assertThat(back.get(1).raw().value()).isEqualTo("{oops".getBytes(StandardCharsets.UTF_8));
    assertThat(back.get(0).event()).isEqualTo(event(2, 1, "NEW", 20));
    assertThat(back.get(0).raw())
        .as("raw record round-trips")
        .isEqualTo(good(0, 4, event(2, 1, "NEW", 20)).raw());
    assertThat(LakeReader.count(lake)).isEqualTo(4);
    try (Stream<Path> all = Files.walk(lake)) {
      assertThat(all.filter(Files::isRegularFile).map(p -> p.getFileName().toString()))
          .as("no temp or .crc files left behind")
          .allMatch(n -> n.endsWith(".parquet") && !n.startsWith("."));
    }
  }

  @Test
  void filesHaveTheLayoutAndAvroSchemaOfParquetsAvroSupport() throws Exception {
    Path file =
        new LakeWriter(lake, LakeNaming.OFFSET_RANGE)
            .write(
                List.of(
                    good(0, 4, event(2, 1, "NEW", 20)),
                    LakeRecord.decode(raw(0, 5, "{oops".getBytes(StandardCharsets.UTF_8)))))
            .get(0);
    try (org.apache.parquet.hadoop.ParquetFileReader r =
        org.apache.parquet.hadoop.ParquetFileReader.open(
            new org.apache.parquet.io.LocalInputFile(file))) {
      org.apache.parquet.hadoop.metadata.FileMetaData meta = r.getFooter().getFileMetaData();
      assertThat(meta.getSchema())
          .as("the columns Parquet's Avro writer made of the lake's Avro schema")
          .isEqualTo(
              new org.apache.parquet.avro.AvroSchemaConverter(
                      new org.apache.hadoop.conf.Configuration(false))
                  .convert(LakeSchema.SCHEMA));
      assertThat(meta.getKeyValueMetaData())
          .as("Avro readers find the schema where Parquet's Avro writer puts it")
          .containsEntry("parquet.avro.schema", LakeSchema.SCHEMA.toString());
    }
    // and a reader that knows nothing of this code, DuckDB, sees the columns and values
    try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
        java.sql.ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "select \"offset\", event_type, order_id, poison_reason is not null,"
                        + " headers['eventType'] from read_parquet('"
                        + file
                        + "') order by \"offset\"")) {
      List<String> rows = new java.util.ArrayList<>();
      while (rs.next()) {
        rows.add(
            rs.getLong(1)
                + " "
                + rs.getString(2)
                + " "
                + rs.getObject(3)
                + " "
                + rs.getBoolean(4)
                + " "
                + rs.getString(5));
      }
      assertThat(rows)
          .containsExactly(
              "4 ORDER_CREATED 2 false ORDER_CREATED", "5 null null true ORDER_CREATED");
    }
  }

  @Test
  void replayedBatchRewritesItsFileInsteadOfAddingOne() {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    List<LakeRecord> batch =
        List.of(good(0, 0, event(1, 1, "NEW", 10)), good(0, 1, event(1, 2, "PAID", 10)));
    writer.write(batch);
    writer.write(batch);
    assertThat(LakeReader.files(lake)).as("same batch, same file").hasSize(1);
    assertThat(LakeReader.count(lake)).as("each Kafka record once").isEqualTo(2);
  }

  @Test
  void randomNamesWriteAReplayedBatchTwice() {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.random(1));
    List<LakeRecord> batch = List.of(good(0, 0, event(1, 1, "NEW", 10)));
    writer.write(batch);
    writer.write(batch);
    assertThat(LakeReader.count(lake))
        .as("variant lake-append-random-name duplicates a replayed batch")
        .isEqualTo(2);
    assertThat(writer.discardUncommitted(TOPIC, Map.of(0, 0L)))
        .as("random names cannot be told apart, so nothing is cleaned")
        .isEmpty();
  }

  @Test
  void discardUncommittedDeletesFilesAtOrPastTheResumeOffsetAndTempFiles() throws Exception {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    List<LakeRecord> records = new ArrayList<>();
    for (long o = 0; o < 4; o++) {
      records.add(good(0, o, event(o + 1, 1, "NEW", 1)));
    }
    writer.write(records.subList(0, 2));
    writer.write(records.subList(2, 4));
    writer.write(List.of(good(1, 0, event(9, 1, "NEW", 1))));
    Path temp = lake.resolve("orders/date=2026-11-24/.cdc.orders-0-4-9.parquet.tmp");
    Files.writeString(temp, "half a file");

    List<Path> deleted = writer.discardUncommitted(TOPIC, Map.of(0, 2L, 1, 1L));
    assertThat(deleted)
        .as("the batch from offset 2 never reached the warehouse, nor did the temp file")
        .containsExactlyInAnyOrder(
            lake.resolve("orders/date=2026-11-24/cdc.orders-0-2-3.parquet"), temp);
    assertThat(LakeReader.count(lake)).isEqualTo(3);
    assertThat(writer.discardUncommitted(TOPIC, Map.of(1, 0L)))
        .as("resuming partition 1 at 0: all its files are uncommitted, partition 0 is left alone")
        .containsExactly(lake.resolve("orders/date=2026-11-24/cdc.orders-1-0-0.parquet"));
  }

  @Test
  void aCheckpointMovedIntoTheMiddleOfAFileKeepsOnlyItsEarlierRecords() {
    LakeWriter writer = new LakeWriter(lake, LakeNaming.OFFSET_RANGE);
    List<LakeRecord> records = new ArrayList<>();
    for (long o = 0; o < 10; o++) {
      records.add(good(0, o, event(o + 1, 1, "NEW", 1)));
    }
    writer.write(records);

    writer.discardUncommitted(TOPIC, Map.of(0, 4L));
    writer.write(records.subList(4, 10));

    assertThat(LakeReader.files(lake).stream().map(p -> p.getFileName().toString()))
        .as("offsets 0-3 kept in their own file, 4-9 written again once")
        .containsExactlyInAnyOrder("cdc.orders-0-0-3.parquet", "cdc.orders-0-4-9.parquet");
    assertThat(LakeReader.readAll(lake).stream().map(r -> r.raw().offset()))
        .as("every offset exactly once after an operator rewind into the middle of a batch")
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
  }
}
