package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.variant.Variant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One failure scenario: a workload run on a topology under a fault schedule, and what must hold
 * afterwards. Loaded from {@code scenarios/*.yaml} by {@link ScenarioLoader}, written back by
 * {@link ScenarioWriter}; the same scenario and seed replay the same run.
 *
 * @param name unique among the scenario files; names the report directory
 * @param description what the scenario exercises, for people
 * @param seed drives the workload and every random choice of the run
 * @param variant the pipeline variant to run; empty means the one given on the command line (by
 *     default the correct pipeline)
 * @param reads how often the serving warehouse is read while the run goes
 */
public record Scenario(
    String name,
    String description,
    long seed,
    Topology topology,
    WorkloadSpec workload,
    List<FaultSpec> faults,
    Expectations expect,
    Optional<Variant> variant,
    PipelineSettings pipeline,
    Reads reads) {

  public Scenario {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(expect, "expect");
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(pipeline, "pipeline");
    Objects.requireNonNull(reads, "reads");
    faults = List.copyOf(faults);
  }

  /** A scenario with defaults for everything but the name, seed, workload and faults. */
  public static Scenario of(String name, long seed, WorkloadSpec workload, List<FaultSpec> faults) {
    return new Scenario(
        name,
        "",
        seed,
        Topology.DEFAULT,
        workload,
        faults,
        Expectations.DEFAULT,
        Optional.empty(),
        PipelineSettings.DEFAULT,
        Reads.DEFAULT);
  }

  public Scenario withName(String n) {
    return new Scenario(
        n, description, seed, topology, workload, faults, expect, variant, pipeline, reads);
  }

  public Scenario withDescription(String d) {
    return new Scenario(
        name, d, seed, topology, workload, faults, expect, variant, pipeline, reads);
  }

  public Scenario withTopology(Topology t) {
    return new Scenario(
        name, description, seed, t, workload, faults, expect, variant, pipeline, reads);
  }

  public Scenario withWorkload(WorkloadSpec w) {
    return new Scenario(
        name, description, seed, topology, w, faults, expect, variant, pipeline, reads);
  }

  public Scenario withFaults(List<FaultSpec> f) {
    return new Scenario(
        name, description, seed, topology, workload, f, expect, variant, pipeline, reads);
  }

  public Scenario withExpect(Expectations e) {
    return new Scenario(
        name, description, seed, topology, workload, faults, e, variant, pipeline, reads);
  }

  public Scenario withVariant(Optional<Variant> v) {
    return new Scenario(
        name, description, seed, topology, workload, faults, expect, v, pipeline, reads);
  }

  public Scenario withPipeline(PipelineSettings p) {
    return new Scenario(
        name, description, seed, topology, workload, faults, expect, variant, p, reads);
  }

  public Scenario withReads(Reads r) {
    return new Scenario(
        name, description, seed, topology, workload, faults, expect, variant, pipeline, r);
  }
}
