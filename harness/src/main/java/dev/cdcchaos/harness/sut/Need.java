package dev.cdcchaos.harness.sut;

/** What a pipeline needs of the source database beyond the outbox table. */
public enum Need {
  /**
   * Logical decoding ({@code wal_level=logical}, replication slots, WAL senders): log-based capture
   * reads the outbox from the WAL through a replication slot.
   */
  LOGICAL_REPLICATION("logical-replication");

  private final String cliName;

  Need(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }
}
