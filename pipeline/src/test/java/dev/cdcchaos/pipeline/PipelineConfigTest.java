package dev.cdcchaos.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineConfigTest {

  @Test
  void roundTripsAndFillsDefaults(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("p.json");
    Files.writeString(
        file,
        "{\"jdbcUrl\": \"jdbc:postgresql://127.0.0.1:1/postgres\", \"kafkaBootstrap\": \"127.0.0.1:2\","
            + " \"variant\": \"mark-before-send\", \"controlFile\": \"c.json\"}");
    PipelineConfig cfg = PipelineConfig.load(file);
    assertThat(cfg.topic()).isEqualTo("cdc.orders");
    assertThat(cfg.publisherBatchSize()).isPositive();
    assertThat(cfg.variantValue()).isEqualTo(Variant.MARK_BEFORE_SEND);
    assertThat(cfg.controlPath()).isEqualTo(Path.of("c.json"));
    assertThat(cfg.statusPath()).isNull();

    cfg.save(dir.resolve("copy.json"));
    assertThat(PipelineConfig.load(dir.resolve("copy.json"))).as("save then load").isEqualTo(cfg);
  }

  @Test
  void badFilesNameFileAndField(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bad.json");
    Files.writeString(file, "{\"jdbcUrl\": \"x\", \"batchSize\": 3}");
    assertThatThrownBy(() -> PipelineConfig.load(file))
        .hasMessageContaining("bad.json")
        .hasMessageContaining("batchSize");
    Files.writeString(file, "{\"variant\": \"sloppy\"}");
    assertThatThrownBy(() -> PipelineConfig.load(file))
        .hasMessageContaining("bad.json")
        .hasMessageContaining("sloppy")
        .hasMessageContaining("mark-all-published");
    assertThatThrownBy(() -> PipelineConfig.load(dir.resolve("missing.json")))
        .hasMessageContaining("missing.json");
  }
}
