/**
 * How the harness steers a running pipeline process: a JSON control file (crash point to arm,
 * delivery faults), crash points that halt the JVM, and an atomically rewritten status file. Shared
 * by the publisher and the consumer.
 */
package dev.cdcchaos.pipeline.control;
