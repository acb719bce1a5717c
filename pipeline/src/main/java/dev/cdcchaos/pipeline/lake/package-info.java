/**
 * The Parquet lake: every Kafka record, raw, one file per partition per batch named by its offset
 * range and written atomically; {@link dev.cdcchaos.pipeline.lake.LakeReader} reads it back.
 */
package dev.cdcchaos.pipeline.lake;
