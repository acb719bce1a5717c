/**
 * Rebuilding a fresh warehouse from the lake or from Kafka offset 0, through the live apply code.
 */
package dev.cdcchaos.pipeline.replay;
