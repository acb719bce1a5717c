/**
 * The conformance kit: {@link dev.cdcchaos.conformance.PipelineConformance}, a JUnit 5 base that
 * runs every general scenario file against a pipeline under test described by the pipeline contract
 * ({@code docs/pipeline-contract.md}).
 */
package dev.cdcchaos.conformance;
