package dev.cdcchaos.harness.observe;

import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.OrderState;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Reads a stopped run into an {@link Observation.Builder}: the source tables, every Kafka record
 * from offset 0, the live warehouse file and the lake. The caller adds what only the run knows
 * (history, checkpoint trail, drained, times) and the rebuilt warehouses ({@link #rebuiltOrders}).
 */
public final class Observer {

  private Observer() {}

  /**
   * Where a stopped run's state lives.
   *
   * @param sourceName the source database's name, for errors
   * @param source the source database, connected directly (not through a fault proxy)
   * @param bootstrap Kafka bootstrap servers, directly
   * @param warehouse the live warehouse file
   * @param lakeRoot the lake's root folder
   * @param injectedPoison the records the harness published as poison
   * @param earlier the incarnations of the topic deleted during the run, read before each deletion
   */
  public record Sources(
      String sourceName,
      DataSource source,
      String bootstrap,
      String topic,
      Path warehouse,
      Path lakeRoot,
      List<KafkaRecord> injectedPoison,
      EarlierIncarnations earlier) {

    /** Sources of a run whose topic was never recreated. */
    public Sources(
        String sourceName,
        DataSource source,
        String bootstrap,
        String topic,
        Path warehouse,
        Path lakeRoot,
        List<KafkaRecord> injectedPoison) {
      this(
          sourceName,
          source,
          bootstrap,
          topic,
          warehouse,
          lakeRoot,
          injectedPoison,
          EarlierIncarnations.NONE);
    }
  }

  /**
   * What the harness read of each incarnation of the topic before it deleted it: its records and
   * ends, named as {@link dev.cdcchaos.harness.check.Incarnations} says.
   *
   * @param survivingAs the name of the records of the incarnation in Kafka now; empty when the
   *     topic was never recreated
   */
  public record EarlierIncarnations(
      List<KafkaRecord> records,
      List<dev.cdcchaos.harness.check.Observation.Checkpoint> ends,
      java.util.Optional<String> survivingAs) {
    public static final EarlierIncarnations NONE =
        new EarlierIncarnations(List.of(), List.of(), java.util.Optional.empty());

    public EarlierIncarnations {
      records = List.copyOf(records);
      ends = List.copyOf(ends);
    }
  }

  /** Reads everything; the builder has every field but the run's own (history, trail, times). */
  public static Observation.Builder observe(Sources s) {
    Observation.Builder obs = Observation.builder();
    try {
      SourceTables.Source source = SourceTables.read(s.source());
      obs.outbox(source.outbox())
          .sourceOrders(source.orders())
          .markedPublished(source.markedPublished());
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the source database " + s.sourceName() + ": " + e.getMessage(), e);
    }
    TopicLog.Topic topic =
        TopicLog.read(
            s.bootstrap(),
            s.topic(),
            s.injectedPoison(),
            s.earlier().survivingAs().orElse(s.topic()));
    WarehouseTables.Warehouse wh = WarehouseTables.read(s.warehouse());
    List<KafkaRecord> records = new java.util.ArrayList<>(s.earlier().records());
    records.addAll(topic.records());
    List<dev.cdcchaos.harness.check.Observation.Checkpoint> ends =
        new java.util.ArrayList<>(s.earlier().ends());
    ends.addAll(topic.ends());
    s.earlier().survivingAs().ifPresent(obs::survivingIncarnation);
    return obs.kafkaRecords(records)
        .partitionEnds(ends)
        .injectedPoison(s.injectedPoison())
        .poisonClaims(topic.claims())
        .warehouseOrders(wh.byOrder())
        .warehouseRows(wh.rows())
        .warehouseExtras(wh.extras())
        .customerTotals(wh.totals())
        .ledger(wh.ledger())
        .deadLetters(wh.deadLetters())
        .checkpoints(wh.checkpoints())
        .lake(LakeFiles.read(s.lakeRoot()));
  }

  /** {@code wh_orders} of a warehouse file the pipeline rebuilt (its replay), read by SQL. */
  public static Map<Long, OrderState> rebuiltOrders(Path warehouse) {
    return WarehouseTables.read(warehouse).byOrder();
  }
}
