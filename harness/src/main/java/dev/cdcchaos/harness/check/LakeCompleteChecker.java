package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.Event;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code lake-complete}: every outbox event is in the lake at least once, and each Kafka record
 * (topic, partition, offset), injected poison included, is there exactly once, since analysts count
 * straight from the lake.
 *
 * <p>Each event's row must sit under the folder of its own UTC date ({@code date=YYYY-MM-DD}, from
 * its {@code occurredAt}) when the lake is partitioned by date.
 *
 * <p>A record twice in the lake, a lake row with no Kafka record or with another event than the
 * record at its coordinates is invalid either way. A missing record is invalid if it lies below its
 * partition's checkpoint (the consumer writes the lake before it moves the checkpoint), or if the
 * run drained; otherwise it is unknown.
 */
public final class LakeCompleteChecker implements Checker {

  public static final String NAME = "lake-complete";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    SortedMap<Coord, List<LakeRecord>> lakeByCoord = new TreeMap<>();
    for (LakeRecord l : o.lake()) {
      lakeByCoord
          .computeIfAbsent(new Coord(l.topic(), l.partition(), l.offset()), c -> new ArrayList<>())
          .add(l);
    }
    SortedMap<Coord, KafkaRecord> kafka = new TreeMap<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      kafka.put(Coord.of(r), r);
    }
    for (KafkaRecord r : o.injectedPoison()) {
      kafka.putIfAbsent(Coord.of(r), r);
    }
    Set<Coord> poison = o.injectedPoison().stream().map(Coord::of).collect(Collectors.toSet());
    Map<Coord, Long> checkpoints = Coord.checkpoints(o.checkpoints());

    Set<String> lakeEvents = new HashSet<>();
    o.lake().forEach(l -> lakeEvents.add(l.eventId()));
    List<Event> eventsMissing =
        o.outbox().stream().filter(e -> !lakeEvents.contains(e.eventId())).toList();
    if (!eventsMissing.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          eventsMissing.size()
              + " outbox events not in the lake, orders "
              + Evidence.ids(eventsMissing.stream().map(Event::orderId).distinct().toList()),
          Evidence.firstFew(
              eventsMissing,
              e ->
                  "order "
                      + e.orderId()
                      + " v"
                      + e.version()
                      + " event "
                      + e.eventId()
                      + ": expected in the lake, actual absent"));
    }

    List<Coord> belowCheckpointMissing = new ArrayList<>();
    List<Coord> aboveCheckpointMissing = new ArrayList<>();
    for (Coord c : kafka.keySet()) {
      if (!lakeByCoord.containsKey(c)) {
        long checkpoint = checkpoints.getOrDefault(c.partitionKey(), 0L);
        (c.offset() < checkpoint ? belowCheckpointMissing : aboveCheckpointMissing).add(c);
      }
    }
    if (!belowCheckpointMissing.isEmpty()) {
      f.invalid(
          belowCheckpointMissing.size()
              + " Kafka records below the checkpoint but not in the lake: "
              + Evidence.ids(belowCheckpointMissing),
          Evidence.firstFew(belowCheckpointMissing, c -> missing(c, kafka, poison, true)));
    }
    if (!aboveCheckpointMissing.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          aboveCheckpointMissing.size()
              + " Kafka records not in the lake: "
              + Evidence.ids(aboveCheckpointMissing),
          Evidence.firstFew(aboveCheckpointMissing, c -> missing(c, kafka, poison, false)));
    }

    List<Coord> duplicated = new ArrayList<>();
    List<Coord> phantom = new ArrayList<>();
    List<Coord> wrongEvent = new ArrayList<>();
    lakeByCoord.forEach(
        (c, rows) -> {
          if (rows.size() > 1) {
            duplicated.add(c);
          }
          KafkaRecord r = kafka.get(c);
          if (r == null) {
            phantom.add(c);
          } else if (r.eventId() != null
              && rows.stream().anyMatch(l -> !Objects.equals(l.eventId(), r.eventId()))) {
            wrongEvent.add(c);
          }
        });
    if (!duplicated.isEmpty()) {
      f.invalid(
          duplicated.size()
              + " Kafka records more than once in the lake: "
              + Evidence.ids(duplicated),
          Evidence.firstFew(
              duplicated,
              c ->
                  c
                      + " (event "
                      + lakeByCoord.get(c).get(0).eventId()
                      + "): expected 1 lake row, actual "
                      + lakeByCoord.get(c).size()
                      + " in "
                      + lakeByCoord.get(c).stream()
                          .map(LakeRecord::file)
                          .collect(Collectors.joining(", "))));
    }
    if (!phantom.isEmpty()) {
      f.invalid(
          phantom.size()
              + " lake rows whose coordinates no Kafka record has: "
              + Evidence.ids(phantom),
          Evidence.firstFew(
              phantom,
              c ->
                  c
                      + " in "
                      + lakeByCoord.get(c).get(0).file()
                      + ": expected a Kafka record there, actual none"));
    }
    if (!wrongEvent.isEmpty()) {
      f.invalid(
          wrongEvent.size()
              + " lake rows holding another event than the Kafka record at their coordinates: "
              + Evidence.ids(wrongEvent),
          Evidence.firstFew(
              wrongEvent,
              c ->
                  c
                      + ": expected event "
                      + kafka.get(c).eventId()
                      + ", actual "
                      + lakeByCoord.get(c).stream()
                          .map(LakeRecord::eventId)
                          .collect(Collectors.joining(", "))));
    }

    // the lake is partitioned by the event's own date: a row under another date's folder is lost
    // to anyone who reads one day (a clock that jumped, a batch that spans midnight)
    List<String> wrongDate = new ArrayList<>();
    lakeByCoord.forEach(
        (c, rows) -> {
          KafkaRecord r = kafka.get(c);
          if (r == null || r.event() == null || r.event().occurredAt() == null) {
            return;
          }
          String want =
              "date="
                  + java.time.LocalDate.ofInstant(r.event().occurredAt(), java.time.ZoneOffset.UTC);
          for (LakeRecord l : rows) {
            String file = l.file().replace('\\', '/');
            if (file.contains("date=") && !file.contains(want + "/")) {
              wrongDate.add(
                  c
                      + " (event "
                      + r.eventId()
                      + " occurred at "
                      + r.event().occurredAt()
                      + "): expected under "
                      + want
                      + ", actual "
                      + file);
              break;
            }
          }
        });
    if (!wrongDate.isEmpty()) {
      f.invalid(
          wrongDate.size() + " lake rows under another date than their event's own",
          Evidence.firstFew(wrongDate, x -> x));
    }

    f.count("lake rows", o.lake().size());
    f.count("rows under another date", wrongDate.size());
    f.count("kafka records", kafka.size());
    f.count("poison records", poison.size());
    f.count("records missing", belowCheckpointMissing.size() + aboveCheckpointMissing.size());
    f.count("records duplicated", duplicated.size());
    f.count("events missing", eventsMissing.size());
    return f.result(
        "each of "
            + kafka.size()
            + " Kafka records ("
            + poison.size()
            + " poison) exactly once in the lake, every outbox event there");
  }

  private static String missing(
      Coord c, Map<Coord, KafkaRecord> kafka, Set<Coord> poison, boolean belowCheckpoint) {
    return c
        + (poison.contains(c) ? " (injected poison)" : " (event " + kafka.get(c).eventId() + ")")
        + ": expected 1 lake row"
        + (belowCheckpoint ? " (below the checkpoint)" : "")
        + ", actual 0";
  }
}
