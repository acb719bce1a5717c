package dev.cdcchaos.pipeline.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.lake.LakeRecord;
import dev.cdcchaos.pipeline.lake.RawRecord;
import dev.cdcchaos.pipeline.warehouse.CheckpointScope;
import dev.cdcchaos.pipeline.warehouse.DeadLetter;
import dev.cdcchaos.pipeline.warehouse.IncomingEvent;
import dev.cdcchaos.pipeline.warehouse.WarehouseBatch;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns raw records into a lake batch and a warehouse batch: decodes each value, turns poison into
 * dead letters and computes the checkpoints past the batch. Shared by the live consumer and both
 * replays, so they apply exactly the same way.
 */
public final class BatchAssembler {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final CheckpointScope checkpointScope;
  private final PoisonRule poisonRule;

  public BatchAssembler(CheckpointScope checkpointScope, PoisonRule poisonRule) {
    this.checkpointScope = checkpointScope;
    this.poisonRule = poisonRule;
  }

  /** The correct assembler, as replays use it. */
  public static BatchAssembler correct() {
    return new BatchAssembler(CheckpointScope.PER_PARTITION, PoisonRule.CONTINUE);
  }

  /** Decodes and assembles raw records, all of one topic, in poll order. */
  public AssembledBatch assemble(List<RawRecord> records, Instant now) {
    List<LakeRecord> lake = new ArrayList<>(records.size());
    for (RawRecord r : records) {
      lake.add(LakeRecord.decode(r));
    }
    return assembleDecoded(lake, now);
  }

  /** Assembles records that are already decoded (the lake replay reads them so). */
  public AssembledBatch assembleDecoded(List<LakeRecord> lake, Instant now) {
    List<IncomingEvent> events = new ArrayList<>(lake.size());
    List<DeadLetter> dead = new ArrayList<>();
    Map<String, Map<Integer, Long>> last = new TreeMap<>();
    boolean dropping = false;
    for (LakeRecord r : lake) {
      RawRecord raw = r.raw();
      last.computeIfAbsent(raw.topic(), t -> new TreeMap<>())
          .merge(raw.partition(), raw.offset(), Math::max);
      if (dropping) {
        continue;
      }
      if (r.isPoison()) {
        if (poisonRule == PoisonRule.RETRY_FOREVER) {
          throw new PoisonRetry(raw.partition(), raw.offset(), r.poisonReason());
        }
        dead.add(
            new DeadLetter(
                raw.topic(),
                raw.partition(),
                raw.offset(),
                readableEventId(raw.value()),
                r.poisonReason(),
                raw.value(),
                now));
        dropping = poisonRule == PoisonRule.DROP_REST_OF_BATCH;
      } else {
        events.add(new IncomingEvent(r.event(), raw.topic(), raw.partition(), raw.offset()));
      }
    }
    List<dev.cdcchaos.pipeline.warehouse.Checkpoint> checkpoints = new ArrayList<>();
    Map<Integer, Long> next = new TreeMap<>();
    last.forEach(
        (topic, offsets) -> {
          checkpoints.addAll(checkpointScope.checkpoints(topic, offsets));
          offsets.forEach((p, o) -> next.put(p, o + 1));
        });
    return new AssembledBatch(lake, new WarehouseBatch(events, dead, checkpoints), next);
  }

  /** {@link PoisonRule#RETRY_FOREVER}: the batch fails at a poison record, to be taken again. */
  public static final class PoisonRetry extends RuntimeException {
    public PoisonRetry(int partition, long offset, String reason) {
      super("poison record at partition " + partition + " offset " + offset + ": " + reason);
    }
  }

  /** The event id of a poison message, when its bytes still hold a readable one. */
  static String readableEventId(byte[] value) {
    if (value == null || value.length > EventCodec.MAX_BYTES) {
      return null;
    }
    try {
      JsonNode id = JSON.readTree(value).get("eventId");
      return id != null && id.isTextual() ? id.asText() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
