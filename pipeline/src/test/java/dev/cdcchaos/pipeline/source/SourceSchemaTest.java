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

  @Test
  void everyStatementNamesTheRelationItCreatesSoAnExistingSchemaIsLeftAlone() {
    assertThat(SourceSchema.createdRelations())
        .as("apply() skips the DDL (and its table locks) when all of these exist")
        .contains("orders", "outbox_events", "outbox_unpublished", "outbox_aggregate")
        .hasSameSizeAs(SourceSchema.statements());
  }
}
