package dev.cdcchaos.pipeline.lake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;

/**
 * The Avro schema of a lake row (the layout of the Parquet files, written by {@link
 * LakeWriteSupport}) and the mapping from an Avro-read row back to a {@link RawRecord}.
 */
final class LakeSchema {
  static final Schema SCHEMA =
      SchemaBuilder.record("LakeEnvelope")
          .namespace("dev.cdcchaos.lake")
          .doc("One Kafka record of the orders topic, raw payload plus decoded keys")
          .fields()
          .requiredString("topic")
          .requiredInt("partition")
          .requiredLong("offset")
          .name("timestamp")
          .type(LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG)))
          .noDefault()
          .optionalBytes("key")
          .optionalString("event_id")
          .optionalString("event_type")
          .optionalLong("order_id")
          .optionalLong("version")
          .optionalBytes("payload")
          .optionalString("poison_reason")
          .name("headers")
          .type()
          .map()
          .values()
          .stringType()
          .noDefault()
          .endRecord();

  private LakeSchema() {}

  /** The raw record back; the caller re-decodes the payload. */
  static RawRecord fromAvro(GenericRecord g) {
    Map<String, String> headers = new HashMap<>();
    Object h = g.get("headers");
    if (h instanceof Map<?, ?> m) {
      m.forEach((k, v) -> headers.put(k.toString(), v == null ? null : v.toString()));
    }
    return new RawRecord(
        g.get("topic").toString(),
        (Integer) g.get("partition"),
        (Long) g.get("offset"),
        (Long) g.get("timestamp"),
        bytes(g.get("key")),
        bytes(g.get("payload")),
        headers);
  }

  private static byte[] bytes(Object o) {
    if (o == null) {
      return null;
    }
    if (o instanceof ByteBuffer b) {
      ByteBuffer d = b.duplicate();
      byte[] out = new byte[d.remaining()];
      d.get(out);
      return out;
    }
    return o.toString().getBytes(StandardCharsets.UTF_8);
  }
}
