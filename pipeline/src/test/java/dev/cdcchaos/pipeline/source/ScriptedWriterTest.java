package dev.cdcchaos.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.control.ControlFile;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer process's script, journal and hold, without a database. */
class ScriptedWriterTest {

  @Test
  void aRestartedWriterGoesOnAfterTheLastCompletedOperationAndRetriesTheOneItDiedIn(
      @TempDir Path dir) throws Exception {
    Path journal = dir.resolve("journal.jsonl");
    assertThat(ScriptedWriter.resumeAt(journal)).as("no journal: from the start").isEqualTo(0);
    Files.writeString(
        journal,
        """
        {"t":"invoke","n":0}
        {"t":"ok","n":0,"version":1,"event":"e0"}
        {"t":"invoke","n":1}
        {"t":"info","n":1,"error":"connection reset"}
        {"t":"invoke","n":1}
        {"t":"fail","n":1,"error":"order 3 already exists"}
        {"t":"invoke","n":2}
        {"t":"held","n":2,"point":"writer.after-orders","hold":1}
        {"t":"ok","n":2,"ver""",
        StandardCharsets.UTF_8);
    assertThat(ScriptedWriter.resumeAt(journal))
        .as("op 2 was invoked and its outcome cut mid-line by the death: it is retried")
        .isEqualTo(2);
  }

  @Test
  void aScriptLineOutOfOrderOrWithoutAKeyIsRejectedWithItsLine(@TempDir Path dir) throws Exception {
    Path script = dir.resolve("script.jsonl");
    Files.writeString(
        script,
        """
        {"n":0,"f":"create","order":1,"customer":1,"total":5,"currency":"EUR","key":"w0-0"}
        {"n":2,"f":"update","order":1,"status":"PAID","total":7,"key":"w0-1"}
        """);
    assertThatThrownBy(() -> ScriptedWriter.readScript(script))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("script.jsonl:2: expected operation 1 with f and key");
  }

  @Test
  void settingsNameTheirFileAndCheckTheVariant(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("writer-0-settings.json");
    ScriptedWriter.Settings good =
        new ScriptedWriter.Settings(
            "writer-0", "jdbc:postgresql://x/db", "s", "j", null, null, 10, "dual-write");
    good.save(file);
    assertThat(ScriptedWriter.Settings.load(file)).isEqualTo(good);
    Files.writeString(file, Files.readString(file).replace("dual-write", "dual-writes"));
    assertThatThrownBy(() -> ScriptedWriter.Settings.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("writer-0-settings.json")
        .hasMessageContaining("unknown variant 'dual-writes'");
  }

  @Test
  void onlyDualWriteSplitsTheWriteIntoTwoTransactions() {
    assertThat(Transactions.of(Variant.DUAL_WRITE)).isEqualTo(Transactions.DUAL_WRITE);
    for (Variant v : Variant.values()) {
      if (v != Variant.DUAL_WRITE) {
        assertThat(Transactions.of(v)).as(v.cliName()).isEqualTo(Transactions.ONE);
      }
    }
  }

  @Test
  void aHoldIsReadFromTheControlFileAndOnlyAtAWritersPoint() {
    ControlSettings held =
        ControlFile.parse(
            "{\"hold\": {\"point\": \"writer.before-commit\", \"id\": 3}}"
                .getBytes(StandardCharsets.UTF_8),
            "c.json");
    assertThat(held.hold()).isEqualTo(new ControlSettings.Hold("writer.before-commit", 3));
    assertThat(held.crash()).isNull();
    assertThatThrownBy(
            () ->
                ControlFile.parse(
                    "{\"hold\": {\"point\": \"consumer.after-lake\", \"id\": 3}}"
                        .getBytes(StandardCharsets.UTF_8),
                    "c.json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("c.json")
        .hasMessageContaining("is not a writer's crash point");
  }
}
