package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.infra.Infrastructure;
import dev.cdcchaos.harness.infra.Infrastructures;
import dev.cdcchaos.harness.sut.PipelineDescription;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * How to run scenarios.
 *
 * @param reportsDir where run folders go ({@code reports/<scenario>/<run>/})
 * @param variant a pipeline variant that overrides the scenario's own (the detection matrix, {@code
 *     --variant})
 * @param infrastructure the infrastructure for a broker count; by default shared per JVM
 * @param progress where progress lines go (the console, a test log)
 * @param replayFromKafka whether to rebuild a warehouse from Kafka offset 0 for the replay check
 * @param pipeline a pipeline under test that overrides the scenario's own ({@code --pipeline}, the
 *     conformance kit)
 */
public record RunOptions(
    Path reportsDir,
    Optional<Variant> variant,
    IntFunction<Infrastructure> infrastructure,
    Consumer<String> progress,
    boolean replayFromKafka,
    Optional<PipelineDescription> pipeline) {

  public RunOptions(
      Path reportsDir,
      Optional<Variant> variant,
      IntFunction<Infrastructure> infrastructure,
      Consumer<String> progress,
      boolean replayFromKafka) {
    this(reportsDir, variant, infrastructure, progress, replayFromKafka, Optional.empty());
  }

  /**
   * The infrastructure of {@code -Dcdcchaos.infra} / {@code CDC_CHAOS_INFRA} (shared local
   * infrastructure unless they say otherwise), reports under {@code reportsDir}, progress to
   * stdout.
   */
  public static RunOptions defaults(Path reportsDir) {
    return new RunOptions(
        reportsDir,
        Optional.empty(),
        brokers -> Infrastructures.configured().apply(brokers),
        System.out::println,
        true);
  }

  /** With {@code infra} giving the infrastructure for a broker count ({@code --infra}). */
  public RunOptions withInfrastructure(IntFunction<Infrastructure> infra) {
    return new RunOptions(reportsDir, variant, infra, progress, replayFromKafka, pipeline);
  }

  public RunOptions withVariant(Optional<Variant> v) {
    return new RunOptions(reportsDir, v, infrastructure, progress, replayFromKafka, pipeline);
  }

  public RunOptions withProgress(Consumer<String> p) {
    return new RunOptions(reportsDir, variant, infrastructure, p, replayFromKafka, pipeline);
  }

  /** With {@code p} as the pipeline under test of every scenario. */
  public RunOptions withPipeline(Optional<PipelineDescription> p) {
    return new RunOptions(reportsDir, variant, infrastructure, progress, replayFromKafka, p);
  }
}
