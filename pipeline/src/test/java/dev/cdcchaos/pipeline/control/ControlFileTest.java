package dev.cdcchaos.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlFileTest {

  private static ControlSettings parse(String json) {
    return ControlFile.parse(json.getBytes(StandardCharsets.UTF_8), "control.json");
  }

  @Test
  void parsesTheDocumentedExample() {
    ControlSettings s =
        parse(
            """
            {"crash": {"point": "publisher.before-mark", "afterHits": 2},
             "send": {"duplicateFraction": 0.2, "reorderWindow": 10, "dropThenRetryFraction": 0.1,
                      "delayMs": 0, "seed": 7}}
            """);
    assertThat(s.crash()).isEqualTo(new ControlSettings.Crash("publisher.before-mark", 2));
    assertThat(s.send()).isEqualTo(new ControlSettings.Send(0.2, 10, 0.1, 0, 7));
  }

  @Test
  void emptyOrPartialFilesMeanNoFaults() {
    assertThat(parse("")).isEqualTo(ControlSettings.NONE);
    assertThat(parse("{}")).isEqualTo(ControlSettings.NONE);
    assertThat(parse("{\"crash\": {\"point\": \"consumer.after-lake\"}}").crash().afterHits())
        .as("afterHits defaults to the first hit")
        .isEqualTo(1);
  }

  @Test
  void errorsNameTheFileAndTheProblem() {
    assertThatThrownBy(() -> parse("{\"crash\": {\"point\": \"consumer.nowhere\"}}"))
        .hasMessageContaining("control.json")
        .hasMessageContaining("consumer.nowhere")
        .hasMessageContaining("publisher.after-send");
    assertThatThrownBy(() -> parse("{\"send\": {\"duplicateFraction\": 1.5}}"))
        .hasMessageContaining("send.duplicateFraction");
    assertThatThrownBy(() -> parse("{\"sned\": {}}")).hasMessageContaining("sned");
  }

  @Test
  void rereadsOnlyWhenTheFileChanges(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("control.json");
    ControlFile control = new ControlFile(file);
    assertThat(control.refresh()).as("missing file: no faults").isEqualTo(ControlSettings.NONE);

    Files.writeString(file, "{\"crash\": {\"point\": \"publisher.after-send\", \"afterHits\": 3}}");
    assertThat(control.refresh().crash().point()).isEqualTo("publisher.after-send");

    Files.writeString(file, "{not json");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(5)));
    assertThat(control.refresh().crash().point())
        .as("a broken file keeps the previous settings")
        .isEqualTo("publisher.after-send");

    Files.writeString(file, "{}");
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(control.refresh()).as("cleared").isEqualTo(ControlSettings.NONE);

    Files.delete(file);
    assertThat(control.refresh()).isEqualTo(ControlSettings.NONE);
  }
}
