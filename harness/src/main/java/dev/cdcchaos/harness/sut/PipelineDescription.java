package dev.cdcchaos.harness.sut;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A pipeline under test as the harness sees it ({@code docs/pipeline-contract.md}): two stages it
 * starts from command lines and may kill, pause and restart, an optional command run once per run
 * before the stages start (set-up in the source such as a replication slot), the capabilities the
 * pipeline declares, what it needs of Postgres, and the pipeline settings it accepts with their
 * defaults. The warehouse read contract is fixed: {@code warehouse.duckdb} and {@code lake/} in the
 * run's work folder, read by the harness's own SQL, and snapshot reads through the consumer's read
 * endpoint when it declares {@link Capability#SNAPSHOT_READS}.
 *
 * @param name what scenario files and {@code --pipeline} call it
 * @param summary one line for people and reports
 * @param source where the description came from (a file, or "built in"), for error messages
 */
public record PipelineDescription(
    String name,
    String summary,
    StageCommand publisher,
    StageCommand consumer,
    Optional<StageCommand> prepare,
    Set<Capability> capabilities,
    Set<Need> needs,
    Map<String, String> settings,
    String source) {

  public PipelineDescription {
    capabilities = capabilities.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(capabilities));
    needs = Set.copyOf(needs);
    settings = Map.copyOf(settings);
  }

  public boolean has(Capability c) {
    return capabilities.contains(c);
  }

  /** The capabilities it lacks, by name, for reports. */
  public List<String> lacking() {
    return EnumSet.complementOf(
            capabilities.isEmpty()
                ? EnumSet.noneOf(Capability.class)
                : EnumSet.copyOf(capabilities))
        .stream()
        .map(Capability::cliName)
        .toList();
  }

  /** A copy whose settings are these defaults overridden by {@code overrides}. */
  public PipelineDescription withSettings(Map<String, String> overrides) {
    Map<String, String> m = new java.util.LinkedHashMap<>(settings);
    m.putAll(overrides);
    return new PipelineDescription(
        name, summary, publisher, consumer, prepare, capabilities, needs, m, source);
  }
}
