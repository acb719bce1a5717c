/**
 * The pipeline benchmark behind {@code ./cdc-chaos bench}: catch-up throughput and end-to-end lag.
 */
package dev.cdcchaos.harness.bench;
