package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.event.OrderRow;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the checkers look at after a run: read from Postgres, Kafka, DuckDB, the lake and the
 * history once the faults healed and the pipeline drained (or gave up draining). Built by the
 * runner, or by hand in unit tests.
 *
 * @param outbox every committed outbox event, in outbox id order
 * @param sourceOrders the Postgres {@code orders} table (deleted orders have no row)
 * @param warehouseOrders {@code wh_orders}, tombstones included
 * @param customerTotals {@code wh_customer_totals}
 * @param ledger {@code wh_applied_events}
 * @param deadLetters {@code wh_dead_letters}
 * @param checkpoints {@code wh_checkpoints} at the end of the run
 * @param checkpointTrail every checkpoint value observed during the run, in observation order (for
 *     monotonicity)
 * @param kafkaRecords every record in the topic, read back from offset 0 after the run
 * @param lake every row of every lake file
 * @param injectedPoison records the harness deliberately published as poison (they must be
 *     dead-lettered)
 * @param replayFromLake {@code wh_orders} of a fresh warehouse rebuilt from the lake; empty if not
 *     computed
 * @param replayFromKafka {@code wh_orders} of a fresh warehouse rebuilt from Kafka offset 0; empty
 *     if not computed
 * @param history every operation and fault of the run
 * @param drained whether the pipeline drained within the bound after the last fault healed
 * @param convergeTime from the last fault healing to convergence; empty if it did not converge
 * @param convergeBound the scenario's bound
 */
public record Observation(
    List<OrderEvent> outbox,
    Map<Long, OrderRow> sourceOrders,
    Map<Long, OrderRow> warehouseOrders,
    Map<Long, CustomerTotal> customerTotals,
    List<AppliedEvent> ledger,
    List<DeadLetter> deadLetters,
    List<Checkpoint> checkpoints,
    List<Checkpoint> checkpointTrail,
    List<KafkaRecord> kafkaRecords,
    List<LakeRecord> lake,
    List<KafkaRecord> injectedPoison,
    Optional<Map<Long, OrderRow>> replayFromLake,
    Optional<Map<Long, OrderRow>> replayFromKafka,
    List<Op> history,
    boolean drained,
    Optional<Duration> convergeTime,
    Duration convergeBound) {

  /**
   * A row of {@code wh_customer_totals}: live orders and revenue (live, not cancelled) of one
   * customer.
   */
  public record CustomerTotal(long customerId, long orderCount, long revenueCents) {}

  /** A row of the idempotency ledger {@code wh_applied_events}. */
  public record AppliedEvent(
      String eventId,
      long orderId,
      long version,
      String topic,
      int partition,
      long offset,
      long duplicates) {}

  /**
   * A row of {@code wh_dead_letters}; {@code eventId} is null when the message could not be parsed
   * that far.
   */
  public record DeadLetter(
      String topic, int partition, long offset, String eventId, String reason) {}

  /** A row of {@code wh_checkpoints}: the next offset to read. */
  public record Checkpoint(String topic, int partition, long nextOffset) {}

  /**
   * One Kafka record, identified by its coordinates; {@code eventId} is null when the value is not
   * an event.
   */
  public record KafkaRecord(String topic, int partition, long offset, String eventId) {}

  /** One row of the Parquet lake: the raw envelope and where it came from. */
  public record LakeRecord(String file, String topic, int partition, long offset, String eventId) {}
}
