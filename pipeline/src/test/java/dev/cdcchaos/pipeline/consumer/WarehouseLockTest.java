package dev.cdcchaos.pipeline.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.warehouse.WarehouseException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/** How the consumer tells a warehouse held by another process from any other failure to open it. */
class WarehouseLockTest {

  private static final String DUCKDB =
      "IO Error: Could not set lock on file \"/w/warehouse.duckdb\": Conflicting lock is held in"
          + " /usr/bin/java (PID 26698). See also https://duckdb.org/docs/stable/connect/concurrency";

  @Test
  void aLockHeldByAnotherProcessIsToldApartAndItsHolderNamed() {
    RuntimeException e =
        new WarehouseException(
            "cannot open warehouse /w/warehouse.duckdb: " + DUCKDB, new SQLException(DUCKDB));
    assertThat(ConsumerService.heldByAnother(e)).isTrue();
    assertThat(ConsumerService.lockHolder(e))
        .isEqualTo("Conflicting lock is held in /usr/bin/java (PID 26698)");
  }

  @Test
  void anyOtherFailureIsNotALock() {
    RuntimeException e =
        new WarehouseException(
            "cannot open warehouse /w/warehouse.duckdb: IO Error: No space left on device",
            new SQLException("IO Error: No space left on device"));
    assertThat(ConsumerService.heldByAnother(e)).isFalse();
  }
}
