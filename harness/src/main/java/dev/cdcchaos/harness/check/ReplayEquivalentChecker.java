package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.RowDiff.Mismatch;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code replay-equivalent}: a fresh warehouse the pipeline rebuilt from the lake, and one rebuilt
 * from Kafka offset 0, each equal the oracle's model, the fold of every Kafka record as the harness
 * decodes it (injected poison left out), and each equals {@code wh_orders} (tombstones included).
 *
 * <p>Comparing the replays with the live warehouse alone would let a bug shared by the live
 * consumer and the replay (same decoder, same apply code) pass; the model owes nothing to the
 * pipeline.
 *
 * <p>A replay that was not computed, or a model that could not be (a Kafka record known only by its
 * id), is unknown, never a pass. The Kafka replay and the model read the same records, so any
 * difference between them is invalid either way; so is a lake replay row newer than the model or
 * with other content at the same version, or an order the model does not have. A lake replay row
 * missing or older than the model, and any difference with the live warehouse, is invalid after a
 * drained run and unknown otherwise (the lake and the live warehouse may be behind Kafka).
 *
 * <p>When the topic was deleted and created again during the run, Kafka holds only the surviving
 * incarnation: the replay from Kafka is then judged against the fold of that incarnation's records
 * alone, and not against {@code wh_orders}, which rightly holds the deleted incarnation's too. The
 * replay from the lake, which keeps every incarnation, is judged in full.
 */
public final class ReplayEquivalentChecker implements Checker {

  public static final String NAME = "replay-equivalent";

  private static final String MODEL = "fold of the Kafka records";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    Optional<Map<Long, OrderState>> model = model(o, f, Optional.empty());
    compare(f, o, model, "replay from the lake", o.replayFromLake(), "lake", true, true);
    if (o.survivingIncarnation().isEmpty()) {
      compare(f, o, model, "replay from Kafka", o.replayFromKafka(), "kafka", false, true);
      return f.result(
          "replays from the lake and from Kafka both equal the "
              + MODEL
              + " ("
              + model.map(Map::size).orElse(0)
              + " orders) and wh_orders ("
              + o.warehouseOrders().size()
              + " orders)");
    }
    Optional<Map<Long, OrderState>> surviving = model(o, f, o.survivingIncarnation());
    compare(f, o, surviving, "replay from Kafka", o.replayFromKafka(), "kafka", false, false);
    return f.result(
        "the replay from the lake equals the "
            + MODEL
            + " of every incarnation of the topic ("
            + model.map(Map::size).orElse(0)
            + " orders) and wh_orders ("
            + o.warehouseOrders().size()
            + " orders); the topic was recreated, so the replay from Kafka, which can only read"
            + " the surviving incarnation "
            + o.survivingIncarnation().get()
            + ", equals the fold of that incarnation's records ("
            + surviving.map(Map::size).orElse(0)
            + " orders) and is not compared with wh_orders");
  }

  /** The fold of the decoded Kafka records, less injected poison; empty if not observable. */
  private static Optional<Map<Long, OrderState>> model(
      Observation o, Findings f, Optional<String> onlyTopic) {
    Set<Coord> poison = new HashSet<>();
    o.injectedPoison().forEach(r -> poison.add(Coord.of(r)));
    List<Event> events = new ArrayList<>();
    List<KafkaRecord> undecoded = new ArrayList<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      if (poison.contains(Coord.of(r)) || onlyTopic.filter(t -> !t.equals(r.topic())).isPresent()) {
        continue;
      }
      if (r.event() != null) {
        events.add(r.event());
      } else if (r.eventId() != null) {
        undecoded.add(r);
      }
    }
    if (!undecoded.isEmpty()) {
      f.unknown(
          "the oracle's model could not be computed: "
              + undecoded.size()
              + " Kafka records known only by their event id",
          Evidence.firstFew(
              undecoded,
              r ->
                  Coord.of(r)
                      + " (event "
                      + r.eventId()
                      + "): expected its decoded event, actual"
                      + " none"));
      return Optional.empty();
    }
    Map<Long, OrderState> fold = Fold.orders(events);
    f.count(onlyTopic.isPresent() ? "surviving incarnation's orders" : "model orders", fold.size());
    return Optional.of(fold);
  }

  private static void compare(
      Findings f,
      Observation o,
      Optional<Map<Long, OrderState>> model,
      String name,
      Optional<Map<Long, OrderState>> replay,
      String countKey,
      boolean mayLag,
      boolean withWarehouse) {
    if (replay.isEmpty()) {
      f.unknown(name + " was not computed", List.of(name + ": not computed"));
      return;
    }
    f.count(countKey + " replay rows", replay.get().size());
    if (model.isPresent()) {
      List<Mismatch> diff = RowDiff.of(model.get(), replay.get());
      f.count(countKey + " replay mismatches with the model", diff.size());
      List<Mismatch> behind = mayLag ? diff.stream().filter(Mismatch::behind).toList() : List.of();
      List<Mismatch> never = diff.stream().filter(m -> !behind.contains(m)).toList();
      if (!never.isEmpty()) {
        f.invalid(
            never.size()
                + " orders differ between the "
                + MODEL
                + " and the "
                + name
                + (mayLag ? " that no lag explains" : "")
                + ": "
                + Evidence.ids(RowDiff.ids(never)),
            Evidence.firstFew(never, m -> m.describe(MODEL, name)));
      }
      if (!behind.isEmpty()) {
        f.invalidIfDrained(
            o.drained(),
            behind.size()
                + " orders missing or stale in the "
                + name
                + " against the "
                + MODEL
                + ": "
                + Evidence.ids(RowDiff.ids(behind)),
            Evidence.firstFew(behind, m -> m.describe(MODEL, name)));
      }
    }
    if (!withWarehouse) {
      return;
    }
    List<Mismatch> live = RowDiff.of(o.warehouseOrders(), replay.get());
    f.count(countKey + " mismatches", live.size());
    if (!live.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          live.size()
              + " orders differ between wh_orders and the "
              + name
              + ": "
              + Evidence.ids(RowDiff.ids(live)),
          Evidence.firstFew(live, m -> m.describe("wh_orders", name)));
    }
  }
}
