package dev.cdcchaos.pipeline.lake;

import java.util.Map;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;

/**
 * Writes a {@link LakeRecord} straight to Parquet's columns, in the layout Parquet's Avro support
 * gives {@link LakeSchema#SCHEMA}, with the same Avro schema in the file's metadata: files read
 * back exactly as before (by DuckDB's {@code read_parquet}, by {@link LakeReader} through Avro).
 * Going through Avro cost a {@code GenericRecord} per row and a union resolution per optional
 * field; the lake writer was the consumer's busiest stage in a catch-up (issue 13).
 */
final class LakeWriteSupport extends WriteSupport<LakeRecord> {
  static final MessageType PARQUET_SCHEMA =
      new AvroSchemaConverter(new org.apache.hadoop.conf.Configuration(false))
          .convert(LakeSchema.SCHEMA);

  /** The metadata Parquet's Avro support writes, so that Avro readers get the schema back. */
  private static final Map<String, String> METADATA =
      Map.of("parquet.avro.schema", LakeSchema.SCHEMA.toString(), "writer.model.name", "avro");

  private RecordConsumer out;

  @Override
  public WriteContext init(org.apache.hadoop.conf.Configuration configuration) {
    return new WriteContext(PARQUET_SCHEMA, METADATA);
  }

  @Override
  public WriteContext init(ParquetConfiguration configuration) {
    return new WriteContext(PARQUET_SCHEMA, METADATA);
  }

  @Override
  public String getName() {
    return "avro";
  }

  @Override
  public void prepareForWrite(RecordConsumer recordConsumer) {
    this.out = recordConsumer;
  }

  @Override
  public void write(LakeRecord r) {
    RawRecord raw = r.raw();
    out.startMessage();
    string(0, "topic", raw.topic());
    out.startField("partition", 1);
    out.addInteger(raw.partition());
    out.endField("partition", 1);
    longValue(2, "offset", raw.offset());
    longValue(3, "timestamp", raw.timestampMs());
    bytes(4, "key", raw.key());
    if (r.event() != null) {
      string(5, "event_id", r.event().eventId());
      string(6, "event_type", r.event().type().name());
      longValue(7, "order_id", r.event().orderId());
      longValue(8, "version", r.event().version());
    }
    bytes(9, "payload", raw.value());
    if (r.event() == null) {
      string(10, "poison_reason", r.poisonReason());
    }
    out.startField("headers", 11);
    out.startGroup();
    // never null, and neither its keys nor its values (RawRecord copies it with Map.copyOf)
    Map<String, String> headers = raw.headers();
    if (!headers.isEmpty()) {
      out.startField("key_value", 0);
      for (Map.Entry<String, String> h : headers.entrySet()) {
        out.startGroup();
        string(0, "key", h.getKey());
        string(1, "value", h.getValue());
        out.endGroup();
      }
      out.endField("key_value", 0);
    }
    out.endGroup();
    out.endField("headers", 11);
    out.endMessage();
  }

  private void string(int index, String name, String value) {
    if (value != null) {
      out.startField(name, index);
      out.addBinary(Binary.fromString(value));
      out.endField(name, index);
    }
  }

  private void bytes(int index, String name, byte[] value) {
    if (value != null) {
      out.startField(name, index);
      out.addBinary(Binary.fromConstantByteArray(value));
      out.endField(name, index);
    }
  }

  private void longValue(int index, String name, long value) {
    out.startField(name, index);
    out.addLong(value);
    out.endField(name, index);
  }
}
