/**
 * The pipeline-under-test contract ({@code docs/pipeline-contract.md}): a pipeline is two stages
 * the harness starts from command lines ({@link dev.cdcchaos.harness.sut.StageCommand}) with a
 * settings file ({@link dev.cdcchaos.harness.sut.StageSettings}), a fixed warehouse read contract,
 * and declared {@link dev.cdcchaos.harness.sut.Capability capabilities}; what a scenario needs and
 * the pipeline lacks is not applicable ({@link dev.cdcchaos.harness.sut.Applicability}), never
 * valid. Implementations: the reference pipeline, Debezium on a Kafka Connect worker, and anyone's
 * description file ({@link dev.cdcchaos.harness.sut.Pipelines}).
 */
package dev.cdcchaos.harness.sut;
