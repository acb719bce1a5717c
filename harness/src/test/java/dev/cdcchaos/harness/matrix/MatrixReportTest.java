package dev.cdcchaos.harness.matrix;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.report.MatrixReport;
import dev.cdcchaos.pipeline.variant.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MatrixReportTest {

  @TempDir Path dir;

  private MatrixResult sample() {
    String run = dir.resolve("dups").resolve("20261124-060000-000").toString();
    return new MatrixResult(
        List.of(
            Variant.CORRECT,
            Variant.NO_VERSION_GUARD,
            Variant.DLQ_DROPS_BATCH,
            Variant.POISON_RETRIED_FOREVER),
        List.of("dups", "poison"),
        List.of(
            new Cell(
                Variant.CORRECT,
                "dups",
                Cell.Status.VALID,
                List.of(),
                20_000,
                Optional.of(run),
                Optional.empty()),
            new Cell(
                Variant.CORRECT,
                "poison",
                Cell.Status.FAILED,
                List.of("no-loss"),
                21_000,
                Optional.empty(),
                Optional.empty()),
            new Cell(
                Variant.NO_VERSION_GUARD,
                "dups",
                Cell.Status.CAUGHT,
                List.of("converged", "accounting"),
                34_200,
                Optional.of(run),
                Optional.empty()),
            new Cell(
                Variant.DLQ_DROPS_BATCH,
                "dups",
                Cell.Status.MISSED,
                List.of(),
                30_000,
                Optional.empty(),
                Optional.empty()),
            new Cell(
                Variant.DLQ_DROPS_BATCH,
                "poison",
                Cell.Status.ERROR,
                List.of(),
                1_000,
                Optional.empty(),
                Optional.of("IllegalStateException: boom")),
            new Cell(
                Variant.POISON_RETRIED_FOREVER,
                "poison",
                Cell.Status.CAUGHT,
                List.of("no-loss", "liveness"),
                41_000,
                Optional.empty(),
                Optional.empty())),
        Instant.parse("2026-11-24T06:00:00Z"),
        120_000);
  }

  @Test
  void showsTheTwoTiersEachRealBugWithTheReportItImitates() throws Exception {
    MatrixReport.write(dir, sample());
    String md = Files.readString(dir.resolve(MatrixReport.MARKDOWN));
    int designed = md.indexOf("### Designed");
    int real = md.indexOf("### Real bugs");
    assertThat(designed).isPositive();
    assertThat(real).isGreaterThan(designed);
    assertThat(md.substring(designed, real))
        .contains("`no-version-guard`")
        .doesNotContain("poison-retried-forever");
    assertThat(md.substring(real))
        .contains("| `poison-retried-forever` | spring-projects/spring-kafka#1287 | poison |");
    String html = Files.readString(dir.resolve(MatrixReport.HTML));
    assertThat(html).contains("Real bugs").contains("spring-projects/spring-kafka#1287");
    JsonNode json = new ObjectMapper().readTree(dir.resolve(MatrixReport.JSON).toFile());
    assertThat(json.path("detection").get(2).path("tier").asText()).isEqualTo("real-bug");
    assertThat(json.path("detection").get(2).path("imitates").asText())
        .isEqualTo("spring-projects/spring-kafka#1287");
    assertThat(json.path("detection").get(0).path("tier").asText()).isEqualTo("designed");
  }

  @Test
  void writesTheTableTheDetectionTimesAndWhyTheMatrixFails() throws Exception {
    Path html = MatrixReport.write(dir, sample());

    String md = Files.readString(dir.resolve(MatrixReport.MARKDOWN));
    assertThat(md)
        .as("headline names the escaped variant and the scenario the correct pipeline failed")
        .contains("NOT OK")
        .contains("escaped every scenario: dlq-drops-batch")
        .contains("poison (failed: no-loss)");
    assertThat(md)
        .as("time to detection row of the caught variant")
        .contains("| `no-version-guard` | — | dups | converged, accounting | 34.2 s | 1/1 |");
    assertThat(md)
        .as("matrix rows: caught with invariants, missed, not run")
        .contains("✅ caught: converged, accounting")
        .contains("⚪ missed")
        .contains("💥 error")
        .contains("—");

    String page = Files.readString(html);
    assertThat(page).as("self-contained page with the report style").contains("--valid");
    assertThat(page)
        .as("cells coloured by status and linked to the run report, relative to the reports dir")
        .contains("cell caught")
        .contains("cell missed")
        .contains("cell failed")
        .contains("href=\"dups/20261124-060000-000/report.html\"");

    JsonNode json = new ObjectMapper().readTree(dir.resolve(MatrixReport.JSON).toFile());
    assertThat(json.path("ok").asBoolean(true)).isFalse();
    assertThat(json.path("detection").get(0).path("variant").asText())
        .isEqualTo("no-version-guard");
    assertThat(json.path("detection").get(0).path("timeToDetectionMs").asLong()).isEqualTo(34_200);
    assertThat(json.path("detection").get(1).path("caught").asBoolean(true)).isFalse();
    assertThat(json.path("cells")).hasSize(6);
  }
}
