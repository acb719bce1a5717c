package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.workload.SourceOp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The script a writer process runs: the same operations and keys as the in-JVM writers. */
class WriterProcessesTest {

  @Test
  void eachOperationBecomesOneNumberedLineWithTheInJvmWritersKey() throws Exception {
    List<SourceOp> ops =
        List.of(
            new SourceOp.Create(1, 7, 3, 1200, "EUR", Map.of("state.note", "n")),
            new SourceOp.Update(1, 7, "PAID", 1500, Map.of()),
            new SourceOp.Cancel(1, 7, Map.of()),
            new SourceOp.Delete(1, 7, Map.of()));
    String text = new String(WriterProcesses.script(1, ops), StandardCharsets.UTF_8);
    List<JsonNode> lines = new ArrayList<>();
    for (String line : text.split("\n")) {
      lines.add(new ObjectMapper().readTree(line));
    }
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0).toString())
        .isEqualTo(
            "{\"n\":0,\"f\":\"create\",\"order\":7,\"key\":\"w1-0\",\"customer\":3,\"total\":1200,"
                + "\"currency\":\"EUR\",\"extras\":{\"state.note\":\"n\"}}");
    assertThat(lines.get(1).path("status").asText()).isEqualTo("PAID");
    assertThat(lines.get(1).path("total").asLong()).isEqualTo(1500);
    assertThat(lines.stream().map(l -> l.path("key").asText()))
        .as("a retried operation keeps its key, as WorkloadDriver's do: w<writer>-<index>")
        .containsExactly("w1-0", "w1-1", "w1-2", "w1-3");
    assertThat(lines.stream().map(l -> l.path("f").asText()))
        .containsExactly("create", "update", "cancel", "delete");
  }
}
