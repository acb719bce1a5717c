/**
 * Reads what the checkers look at once the pipeline stopped, by plain means only: the source tables
 * by SQL over JDBC, every Kafka record with a plain {@code KafkaConsumer<byte[], byte[]>} decoded
 * by the harness's {@link dev.cdcchaos.harness.model.EnvelopeReader}, the lake with DuckDB's {@code
 * read_parquet}, and warehouse files (the live one and rebuilt ones) by SQL through DuckDB's JDBC
 * driver. {@link dev.cdcchaos.harness.observe.Observer} puts them into an {@link
 * dev.cdcchaos.harness.check.Observation}.
 *
 * <p>No class of the pipeline under test is used here (enforced by {@code OracleIndependenceTest}):
 * reading through the pipeline's own readers would put a bug in shared code on both sides of the
 * comparison.
 */
package dev.cdcchaos.harness.observe;
