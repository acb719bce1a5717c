package dev.cdcchaos.pipeline.consumer;

import dev.cdcchaos.pipeline.lake.LakeRecord;
import dev.cdcchaos.pipeline.warehouse.WarehouseBatch;
import java.util.List;
import java.util.Map;

/**
 * One polled batch, decoded: what goes to the lake (every record), what goes to the warehouse, and
 * the Kafka offsets to commit afterwards (partition to next offset).
 */
public record AssembledBatch(
    List<LakeRecord> lakeRecords, WarehouseBatch warehouseBatch, Map<Integer, Long> nextOffsets) {}
