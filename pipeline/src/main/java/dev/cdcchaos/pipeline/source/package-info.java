/**
 * The source side: the {@code orders} table and its transactional outbox in Postgres, written
 * through jOOQ ({@link dev.cdcchaos.pipeline.source.OrderWriter}), and the schema applied at start
 * ({@link dev.cdcchaos.pipeline.source.SourceSchema}).
 */
package dev.cdcchaos.pipeline.source;
