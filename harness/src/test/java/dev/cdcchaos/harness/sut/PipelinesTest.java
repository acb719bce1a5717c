package dev.cdcchaos.harness.sut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline description files: what loads, and bad input that names what is wrong and where. */
class PipelinesTest {
  @TempDir Path dir;

  private Path write(String yaml) throws Exception {
    Path f = dir.resolve("pipeline.yaml");
    Files.writeString(f, yaml);
    return f;
  }

  @Test
  void aDescriptionFileLoadsWithItsStagesCapabilitiesAndSettings() throws Exception {
    Path f =
        write(
            """
            name: shell
            summary: two shell scripts
            publisher: { command: [/bin/sh, relay.sh, "{settings}"] }
            consumer: { command: [sh, sink.sh, "{settings}"], env: { A: "1" } }
            capabilities: [ledger, totals, checkpoints]
            needs: [logical-replication]
            settings: { batch: 100 }
            """);
    PipelineDescription d = Pipelines.resolve(f.toString());
    assertThat(d.name()).isEqualTo("shell");
    assertThat(d.capabilities())
        .containsExactlyInAnyOrder(Capability.LEDGER, Capability.TOTALS, Capability.CHECKPOINTS);
    assertThat(d.needs()).containsExactly(Need.LOGICAL_REPLICATION);
    assertThat(d.consumer().env()).containsEntry("A", "1");
    assertThat(d.settings()).containsEntry("batch", "100");
    assertThat(d.publisher().resolve("/w/s.json"))
        .containsExactly("/bin/sh", "relay.sh", "/w/s.json");
    assertThat(d.lacking()).contains("send-hook", "snapshot-reads");
  }

  @Test
  void aMissingCommandIsBadInputNamingTheStageAndTheFile() throws Exception {
    Path f =
        write(
            """
            name: broken
            publisher: { command: [/no/such/relay, "{settings}"] }
            consumer: { command: [sh, "{settings}"] }
            """);
    assertThatThrownBy(() -> Pipelines.load(f))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("publisher.command")
        .hasMessageContaining("/no/such/relay")
        .hasMessageContaining(f.toString());
  }

  @Test
  void anUnknownCapabilityIsBadInputNamingItsPlace() throws Exception {
    Path f =
        write(
            """
            name: broken
            publisher: { command: [sh] }
            consumer: { command: [sh] }
            capabilities: [ledger, time-travel]
            """);
    assertThatThrownBy(() -> Pipelines.load(f))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("capabilities[1]")
        .hasMessageContaining("unknown capability 'time-travel'")
        .hasMessageContaining("snapshot-reads");
  }

  @Test
  void anUnknownPipelineNameSaysWhatIsKnown() {
    assertThatThrownBy(() -> Pipelines.resolve("debezum"))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("unknown pipeline 'debezum'")
        .hasMessageContaining("reference, debezium");
  }

  @Test
  void theReferencePipelineDeclaresEveryCapability() {
    PipelineDescription r = Pipelines.reference();
    assertThat(r.lacking())
        .as("the reference pipeline keeps topic incarnations apart too")
        .isEmpty();
    assertThat(r.publisher().resolve("S")).contains("dev.cdcchaos.pipeline.PipelineMain", "S");
  }
}
