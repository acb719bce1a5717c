package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.run.RunOptions;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code cdc-chaos demo}: one real chaos scenario end to end on embedded infrastructure — a seeded
 * workload, a consumer crash mid-batch, a network partition and duplicate deliveries — with
 * progress, the verdict of every invariant and where the report is.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the demo scenario end to end: workload, duplicates, a partition and a consumer crash mid-batch.",
      "Starts local Postgres, Kafka and Toxiproxy API (or uses --infra), checks every invariant and writes an HTML report."
    })
public final class DemoCommand implements Callable<Integer> {
  static final String SCENARIO = "/cdc-chaos/demo.yaml";

  @Mixin InfraOption infra;

  @Option(
      names = "--reports",
      defaultValue = "reports",
      description = "Where reports go (default: ${DEFAULT-VALUE}).")
  Path reportsDir;

  @Override
  public Integer call() {
    Scenario scenario;
    try (InputStream in = DemoCommand.class.getResourceAsStream(SCENARIO)) {
      if (in == null) {
        throw new IllegalStateException("demo scenario " + SCENARIO + " missing from the jar");
      }
      scenario =
          ScenarioLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "demo.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    System.out.println("cdc-chaos demo: " + scenario.description());
    return RunCommand.runAll(
        List.of(scenario),
        RunOptions.defaults(reportsDir).withInfrastructure(infra.select()),
        reportsDir);
  }
}
