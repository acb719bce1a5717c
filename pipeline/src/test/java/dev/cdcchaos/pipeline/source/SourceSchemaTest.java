package dev.cdcchaos.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceSchemaTest {

  @Test
  void ddlSplitsIntoIdempotentStatements() {
    assertThat(SourceSchema.statements())
        .as("every DDL statement must be re-runnable at each start")
        .isNotEmpty()
        .allSatisfy(s -> assertThat(s).containsIgnoringCase("IF NOT EXISTS").doesNotContain("--"));
  }
}
