package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import dev.cdcchaos.harness.model.PoisonClaim;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the checkers look at after a run: read from Postgres, Kafka, DuckDB, the lake and the
 * history once the faults healed and the pipeline drained (or gave up draining). Built by the
 * runner from raw observations, read and decoded by harness code only ({@code
 * dev.cdcchaos.harness.observe}, {@link dev.cdcchaos.harness.model.EnvelopeReader}), never by the
 * pipeline's readers (use {@link #builder()}), or by hand in unit tests.
 *
 * <p>What the runner must guarantee for the verdicts to be sound:
 *
 * <ul>
 *   <li>Writers have stopped before {@code outbox} and {@code sourceOrders} are read (both come
 *       from one Postgres transaction, so they must be read from one snapshot).
 *   <li>{@code warehouseOrders}/{@code warehouseRows}, {@code customerTotals}, {@code ledger},
 *       {@code deadLetters} and {@code checkpoints} are read in one DuckDB read transaction, or
 *       with the consumer stopped: the checkpoint checker relies on them being one consistent
 *       state.
 *   <li>{@code drained} means the pipeline went quiet within the bound after the workload stopped
 *       and the last fault healed: the publisher has nothing left it would publish (no unpublished
 *       outbox row, or its last claim found nothing) and every partition's checkpoint reached the
 *       partition's end offset (see {@code checkpoints-sound}). It must not be defined by an
 *       invariant ("every event applied"): a pipeline that loses events would then never drain and
 *       be reported unknown instead of invalid.
 * </ul>
 *
 * @param outbox every committed outbox event, in outbox id order, decoded from its payload by the
 *     harness
 * @param markedPublished ids of the outbox events whose row is marked published ({@code
 *     published_at} set); a correct publisher marks a row only after Kafka acknowledged it, so a
 *     marked event missing from Kafka is lost for good, drained or not. Empty if not observed.
 * @param sourceOrders the Postgres {@code orders} table (deleted orders have no row)
 * @param warehouseOrders {@code wh_orders}, tombstones included, by order id
 * @param warehouseRows every row of {@code wh_orders} as read, so that two rows of one order can be
 *     seen ({@code warehouseOrders} cannot hold them); the builder derives one from the other
 * @param customerTotals {@code wh_customer_totals}, by customer id
 * @param ledger {@code wh_applied_events}
 * @param deadLetters {@code wh_dead_letters}
 * @param checkpoints {@code wh_checkpoints} at the end of the run
 * @param checkpointTrail every checkpoint value observed during the run, in observation order (for
 *     monotonicity)
 * @param kafkaRecords every record in the topic, read back from offset 0 after the run, each
 *     decoded by the harness
 * @param partitionEnds the log end offset (next offset to be written) of every partition after the
 *     run; when empty, the checkers take {@code max(offset) + 1} of {@code kafkaRecords}
 * @param lake every row of every lake file
 * @param injectedPoison records the harness deliberately published as poison (they must be
 *     dead-lettered and in the lake, and must never reach {@code wh_orders} or the totals)
 * @param snapshots reads of the serving warehouse taken while the run went ({@code wh_orders},
 *     {@code wh_customer_totals}, {@code wh_checkpoints} from one read transaction), in time order
 * @param poisonClaims what each injected poison record claims to be (its ids and order state, read
 *     leniently from its bytes in Kafka), to recognise it if it was applied; empty if not observed
 * @param replayFromLake {@code wh_orders} of a fresh warehouse the pipeline rebuilt from the lake
 *     (its replay is a feature under test), read by the harness; empty if not computed
 * @param replayFromKafka {@code wh_orders} of a fresh warehouse the pipeline rebuilt from Kafka
 *     offset 0, read by the harness; empty if not computed
 * @param history every operation and fault of the run
 * @param drained whether the pipeline drained within the bound after the last fault healed
 * @param convergeTime from the last fault healing to convergence; empty if it did not converge
 * @param convergeBound the scenario's bound
 * @param survivingIncarnation when the topic was deleted and created again during the run: the name
 *     the records of the incarnation still in Kafka carry (see {@link Incarnations}); a replay from
 *     Kafka offset 0 can only read that one. Empty when the topic was never recreated.
 */
public record Observation(
    List<Event> outbox,
    Set<String> markedPublished,
    Map<Long, OrderState> sourceOrders,
    Map<Long, OrderState> warehouseOrders,
    List<OrderState> warehouseRows,
    Map<Long, CustomerTotal> customerTotals,
    List<AppliedEvent> ledger,
    List<DeadLetter> deadLetters,
    List<Checkpoint> checkpoints,
    List<Checkpoint> checkpointTrail,
    List<KafkaRecord> kafkaRecords,
    List<Checkpoint> partitionEnds,
    List<LakeRecord> lake,
    List<KafkaRecord> injectedPoison,
    List<PoisonAt> poisonClaims,
    List<Snapshot> snapshots,
    Optional<Map<Long, OrderState>> replayFromLake,
    Optional<Map<Long, OrderState>> replayFromKafka,
    List<Op> history,
    boolean drained,
    Optional<Duration> convergeTime,
    Duration convergeBound,
    Optional<String> survivingIncarnation,
    Optional<Map<Long, String>> warehouseExtras) {

  public Observation {
    outbox = List.copyOf(outbox);
    markedPublished = markedPublished == null ? Set.of() : Set.copyOf(markedPublished);
    sourceOrders = Map.copyOf(sourceOrders);
    warehouseOrders = Map.copyOf(warehouseOrders);
    warehouseRows =
        warehouseRows == null ? List.copyOf(warehouseOrders.values()) : List.copyOf(warehouseRows);
    customerTotals = Map.copyOf(customerTotals);
    ledger = List.copyOf(ledger);
    deadLetters = List.copyOf(deadLetters);
    checkpoints = List.copyOf(checkpoints);
    checkpointTrail = List.copyOf(checkpointTrail);
    kafkaRecords = List.copyOf(kafkaRecords);
    partitionEnds = partitionEnds == null ? List.of() : List.copyOf(partitionEnds);
    lake = List.copyOf(lake);
    injectedPoison = List.copyOf(injectedPoison);
    poisonClaims = poisonClaims == null ? List.of() : List.copyOf(poisonClaims);
    snapshots = snapshots == null ? List.of() : List.copyOf(snapshots);
    replayFromLake = replayFromLake.map(Map::copyOf);
    replayFromKafka = replayFromKafka.map(Map::copyOf);
    history = List.copyOf(history);
    Objects.requireNonNull(convergeTime, "convergeTime");
    Objects.requireNonNull(convergeBound, "convergeBound");
    Objects.requireNonNull(survivingIncarnation, "survivingIncarnation");
    warehouseExtras = warehouseExtras == null ? Optional.empty() : warehouseExtras.map(Map::copyOf);
  }

  /** An empty observation to fill in; not drained, bound 30 s, until told otherwise. */
  public static Builder builder() {
    return new Builder();
  }

  /** A copy of this observation to change a few fields of (tests break one thing at a time). */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.outbox = outbox;
    b.markedPublished = markedPublished;
    b.sourceOrders = sourceOrders;
    b.warehouseOrders = warehouseOrders;
    b.warehouseRows = warehouseRows;
    b.customerTotals = customerTotals;
    b.ledger = ledger;
    b.deadLetters = deadLetters;
    b.checkpoints = checkpoints;
    b.checkpointTrail = checkpointTrail;
    b.kafkaRecords = kafkaRecords;
    b.partitionEnds = partitionEnds;
    b.lake = lake;
    b.injectedPoison = injectedPoison;
    b.poisonClaims = poisonClaims;
    b.snapshots = snapshots;
    b.replayFromLake = replayFromLake;
    b.replayFromKafka = replayFromKafka;
    b.history = history;
    b.drained = drained;
    b.convergeTime = convergeTime;
    b.convergeBound = convergeBound;
    b.survivingIncarnation = survivingIncarnation;
    b.warehouseExtras = warehouseExtras;
    return b;
  }

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
   * A row of {@code wh_dead_letters}; {@code eventId} is what the pipeline recorded, null when it
   * could not parse the message that far. Which event a dead letter holds is judged by the harness
   * from the Kafka record at its coordinates, not from this column alone.
   */
  public record DeadLetter(
      String topic, int partition, long offset, String eventId, String reason) {}

  /** A row of {@code wh_checkpoints}: the next offset to read. */
  public record Checkpoint(String topic, int partition, long nextOffset) {}

  /**
   * One Kafka record, identified by its coordinates, with its value as the harness's {@link
   * dev.cdcchaos.harness.model.EnvelopeReader} decoded it: {@code event} is null when the value is
   * not an event (or, in hand-built observations, when only the id is given); {@code eventId} is
   * the event's id, null when the value is not an event.
   */
  public record KafkaRecord(String topic, int partition, long offset, String eventId, Event event) {

    public KafkaRecord {
      if (event != null) {
        if (eventId != null && !eventId.equals(event.eventId())) {
          throw new IllegalArgumentException(
              "record "
                  + topic
                  + "-"
                  + partition
                  + "@"
                  + offset
                  + ": eventId "
                  + eventId
                  + " differs from its event's id "
                  + event.eventId());
        }
        eventId = event.eventId();
      }
    }

    /** A record known by its event id only (its content was not decoded). */
    public KafkaRecord(String topic, int partition, long offset, String eventId) {
      this(topic, partition, offset, eventId, null);
    }

    /** A record whose value decoded to {@code event} (null: not an event). */
    public static KafkaRecord of(String topic, int partition, long offset, Event event) {
      return new KafkaRecord(topic, partition, offset, null, event);
    }
  }

  /** What the injected poison record at these coordinates claims to be. */
  public record PoisonAt(String topic, int partition, long offset, PoisonClaim claim) {}

  /** One row of the Parquet lake: the raw envelope and where it came from. */
  public record LakeRecord(String file, String topic, int partition, long offset, String eventId) {}

  /** Fills an {@link Observation} field by field; unset collections are empty. */
  public static final class Builder {
    private List<Event> outbox = List.of();
    private Set<String> markedPublished = Set.of();
    private Map<Long, OrderState> sourceOrders = Map.of();
    private Map<Long, OrderState> warehouseOrders = Map.of();
    private List<OrderState> warehouseRows;
    private Map<Long, CustomerTotal> customerTotals = Map.of();
    private List<AppliedEvent> ledger = List.of();
    private List<DeadLetter> deadLetters = List.of();
    private List<Checkpoint> checkpoints = List.of();
    private List<Checkpoint> checkpointTrail = List.of();
    private List<KafkaRecord> kafkaRecords = List.of();
    private List<Checkpoint> partitionEnds = List.of();
    private List<LakeRecord> lake = List.of();
    private List<KafkaRecord> injectedPoison = List.of();
    private List<PoisonAt> poisonClaims = List.of();
    private List<Snapshot> snapshots = List.of();
    private Optional<Map<Long, OrderState>> replayFromLake = Optional.empty();
    private Optional<Map<Long, OrderState>> replayFromKafka = Optional.empty();
    private List<Op> history = List.of();
    private boolean drained;
    private Optional<Duration> convergeTime = Optional.empty();
    private Duration convergeBound = Duration.ofSeconds(30);
    private Optional<String> survivingIncarnation = Optional.empty();
    private Optional<Map<Long, String>> warehouseExtras = Optional.empty();

    private Builder() {}

    public Builder outbox(List<Event> v) {
      outbox = v;
      return this;
    }

    /** Sets the ids of outbox events whose row is marked published. */
    public Builder markedPublished(java.util.Collection<String> v) {
      markedPublished = Set.copyOf(v);
      return this;
    }

    public Builder sourceOrders(Map<Long, OrderState> v) {
      sourceOrders = v;
      return this;
    }

    /** Sets {@code wh_orders} by id; {@code warehouseRows} follows unless set after this. */
    public Builder warehouseOrders(Map<Long, OrderState> v) {
      warehouseOrders = v;
      warehouseRows = null;
      return this;
    }

    /**
     * Sets {@code wh_orders} as read, row by row; {@code warehouseOrders} becomes the highest
     * version per order id.
     */
    public Builder warehouseRows(List<OrderState> v) {
      warehouseRows = List.copyOf(v);
      Map<Long, OrderState> byId = new LinkedHashMap<>();
      for (OrderState row : v) {
        byId.merge(row.orderId(), row, (a, b) -> b.version() > a.version() ? b : a);
      }
      warehouseOrders = byId;
      return this;
    }

    /** Sets {@code wh_customer_totals}, keyed by customer id. */
    public Builder customerTotals(Map<Long, CustomerTotal> v) {
      customerTotals = v;
      return this;
    }

    /** Sets {@code wh_customer_totals} from its rows. */
    public Builder customerTotals(List<CustomerTotal> rows) {
      Map<Long, CustomerTotal> byId = new HashMap<>();
      for (CustomerTotal t : rows) {
        byId.put(t.customerId(), t);
      }
      customerTotals = byId;
      return this;
    }

    public Builder ledger(List<AppliedEvent> v) {
      ledger = v;
      return this;
    }

    public Builder deadLetters(List<DeadLetter> v) {
      deadLetters = v;
      return this;
    }

    public Builder checkpoints(List<Checkpoint> v) {
      checkpoints = v;
      return this;
    }

    public Builder checkpointTrail(List<Checkpoint> v) {
      checkpointTrail = v;
      return this;
    }

    public Builder kafkaRecords(List<KafkaRecord> v) {
      kafkaRecords = v;
      return this;
    }

    public Builder partitionEnds(List<Checkpoint> v) {
      partitionEnds = v;
      return this;
    }

    public Builder lake(List<LakeRecord> v) {
      lake = v;
      return this;
    }

    public Builder injectedPoison(List<KafkaRecord> v) {
      injectedPoison = v;
      return this;
    }

    /** Sets what each injected poison record claims to be. */
    /** Sets the snapshots of the serving warehouse read while the run went, in time order. */
    public Builder snapshots(List<Snapshot> v) {
      snapshots = v;
      return this;
    }

    public Builder poisonClaims(List<PoisonAt> v) {
      poisonClaims = v;
      return this;
    }

    public Builder replayFromLake(Map<Long, OrderState> v) {
      replayFromLake = Optional.ofNullable(v);
      return this;
    }

    public Builder replayFromKafka(Map<Long, OrderState> v) {
      replayFromKafka = Optional.ofNullable(v);
      return this;
    }

    public Builder history(List<Op> v) {
      history = new ArrayList<>(v);
      return this;
    }

    public Builder drained(boolean v) {
      drained = v;
      return this;
    }

    public Builder convergeTime(Duration v) {
      convergeTime = Optional.ofNullable(v);
      return this;
    }

    public Builder convergeBound(Duration v) {
      convergeBound = v;
      return this;
    }

    /** Sets the name of the topic incarnation still in Kafka after a recreation. */
    public Builder survivingIncarnation(String v) {
      survivingIncarnation = Optional.ofNullable(v);
      return this;
    }

    /**
     * Sets {@code wh_orders.extras} by order id, as the warehouse holds it (JSON text); null when
     * the warehouse has no such column (then extras are not compared).
     */
    public Builder warehouseExtras(Map<Long, String> v) {
      warehouseExtras = Optional.ofNullable(v);
      return this;
    }

    public Observation build() {
      return new Observation(
          outbox,
          markedPublished,
          sourceOrders,
          warehouseOrders,
          warehouseRows,
          customerTotals,
          ledger,
          deadLetters,
          checkpoints,
          checkpointTrail,
          kafkaRecords,
          partitionEnds,
          lake,
          injectedPoison,
          poisonClaims,
          snapshots,
          replayFromLake,
          replayFromKafka,
          history,
          drained,
          convergeTime,
          convergeBound,
          survivingIncarnation,
          warehouseExtras);
    }
  }
}
