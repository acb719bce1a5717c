package dev.cdcchaos.pipeline.source;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SourceSchemaTest {

  @Test
  void ddlSplitsIntoIdempotentStatements() {
    assertThat(SourceSchema.statements())
        .as("every DDL statement must be re-runnable at each start")
        .isNotEmpty()
        .allSatisfy(
            s ->
                assertThat(s)
                    .containsAnyOf("IF NOT EXISTS", "OR REPLACE", "IF EXISTS")
                    .doesNotContain("--"));
  }

  @Test
  void everyStatementNamesWhatItCreatesSoAnExistingSchemaIsLeftAlone() {
    assertThat(SourceSchema.createdRelations())
        .as("apply() skips the DDL (and its table locks) when all of these exist")
        .containsExactly("orders", "outbox_events", "outbox_aggregate");
    assertThat(SourceSchema.createdFunctions()).containsExactly("outbox_next_id");
  }
}
