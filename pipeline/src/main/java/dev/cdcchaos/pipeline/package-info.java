/**
 * The reference CDC pipeline. {@link dev.cdcchaos.pipeline.PipelineMain} runs one role per JVM
 * ({@code publisher}, {@code consumer}, {@code replay}) from a {@link
 * dev.cdcchaos.pipeline.PipelineConfig} JSON file; the roles live in {@code source}, {@code
 * publisher}, {@code consumer}, {@code lake}, {@code warehouse} and {@code replay}, the harness's
 * steering in {@code control}.
 */
package dev.cdcchaos.pipeline;
