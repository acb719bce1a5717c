package dev.cdcchaos.harness.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code scenarios/README.md} in sync with the loader: its examples must load, and every name
 * the loader accepts must be documented. Also loads every scenario file of the project, so a broken
 * file fails {@code mvn test} long before the scenario ITs run.
 */
class ScenarioDocsTest {

  static Path scenariosDir() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isRegularFile(dir.resolve("scenarios/README.md"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("scenarios/README.md above the working directory").isNotNull();
    return dir.resolve("scenarios");
  }

  private static List<String> yamlBlocks(String markdown) {
    Matcher m = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(markdown);
    List<String> blocks = new ArrayList<>();
    while (m.find()) {
      blocks.add(m.group(1));
    }
    return blocks;
  }

  @Test
  void theReadmeExamplesLoadAndCoverEveryFaultKind() throws Exception {
    String readme = Files.readString(scenariosDir().resolve("README.md"));
    List<String> blocks = yamlBlocks(readme);
    assertThat(blocks).as("yaml examples in the README").hasSizeGreaterThanOrEqualTo(3);

    Scenario complete = ScenarioLoader.parse(blocks.get(0), "README.md#example");
    assertThat(complete.faults()).hasSize(2);

    String perKind = blocks.stream().filter(b -> b.startsWith("faults:")).findFirst().orElseThrow();
    Scenario all =
        ScenarioLoader.parse(
            "seed: 1\nworkload: { orders: 200, updates_per_order: 3 }\n"
                + "topology: { brokers: 3, partitions: 3, replication_factor: 2, publishers: 2 }\n"
                + perKind,
            "readme-example-per-kind.yaml");
    assertThat(all.faults().stream().map(FaultSpec::fault).map(f -> f.kind().key()).distinct())
        .as("the README shows an example of every fault kind")
        .containsExactlyInAnyOrderElementsOf(Fault.KINDS);
  }

  @Test
  void everyAcceptedNameIsDocumented() throws Exception {
    String readme = Files.readString(scenariosDir().resolve("README.md"));
    List<String> names = new ArrayList<>();
    names.addAll(ScenarioLoader.TOP);
    names.addAll(ScenarioLoader.TOPOLOGY);
    names.addAll(ScenarioLoader.WORKLOAD);
    names.addAll(ScenarioLoader.PIPELINE);
    names.addAll(ScenarioLoader.EXPECT);
    names.addAll(ScenarioLoader.READS);
    names.addAll(Fault.KINDS);
    ScenarioLoader.FAULT_PARAMS.values().forEach(names::addAll);
    names.addAll(Invariant.names());
    names.addAll(Link.names());
    names.addAll(PoisonKind.names());
    names.addAll(CrashPoints.ALL);
    for (Variant v : Variant.values()) {
      names.add(v.cliName());
    }
    for (String name : names) {
      assertThat(readme).as("scenarios/README.md documents '%s'", name).contains("`" + name + "`");
    }
  }

  @Test
  void everyScenarioFileOfTheProjectLoads() {
    List<Scenario> scenarios = ScenarioLoader.loadAll(scenariosDir());
    for (Scenario s : scenarios) {
      assertThat(ScenarioLoader.parse(ScenarioWriter.toYaml(s), s.name() + ".yaml"))
          .as("%s written back and loaded again", s.name())
          .isEqualTo(s);
    }
  }
}
