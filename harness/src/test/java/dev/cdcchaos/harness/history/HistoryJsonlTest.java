package dev.cdcchaos.harness.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryJsonlTest {

  @TempDir Path dir;

  @Test
  void roundTripKeepsEveryField() throws Exception {
    List<Op> ops =
        List.of(
            new Op(0, 10, "writer-1", Op.Type.INVOKE, "create", Map.of("orderId", 7L)),
            new Op(1, 20, "writer-1", Op.Type.OK, "create", Map.of("orderId", 7L, "version", 1L)),
            new Op(
                2,
                30,
                "nemesis",
                Op.Type.INFO,
                "partition",
                Map.of("link", "consumer->kafka", "events", List.of("e-1", "e-2"), "rate", 0.5)),
            new Op(3, 40, "harness", Op.Type.FAIL, "drain", Map.of()));
    Path file = dir.resolve("run/history.jsonl");
    HistoryJsonl.write(file, ops);
    assertThat(Files.readAllLines(file)).as("one op per line").hasSize(4);
    assertThat(HistoryJsonl.read(file)).as("what was written reads back equal").isEqualTo(ops);
  }

  @Test
  void intsReadBackAsLongs() {
    Path file = dir.resolve("h.jsonl");
    HistoryJsonl.write(
        file, List.of(new Op(0, 1, "writer-1", Op.Type.OK, "update", Map.of("orderId", 3))));
    assertThat(HistoryJsonl.read(file).get(0).value()).containsEntry("orderId", 3L);
  }

  @Test
  void badLineIsReportedWithFileAndLine() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        "{\"index\":0,\"timeNanos\":1,\"process\":\"w\",\"type\":\"OK\",\"f\":\"create\",\"value\":{}}\n"
            + "\n"
            + "{\"index\":1,\"timeNanos\":2,\"process\":\"w\",\"type\":\"MAYBE\",\"f\":\"create\"}\n");
    assertThatThrownBy(() -> HistoryJsonl.read(file))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file + ":3: not a history op");
    assertThatThrownBy(() -> HistoryJsonl.read(dir.resolve("missing.jsonl")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("does not exist");
  }
}
