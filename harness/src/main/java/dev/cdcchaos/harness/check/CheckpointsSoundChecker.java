package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.history.Op;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code checkpoints-sound}: {@code wh_checkpoints} only moves forward, is never ahead of what the
 * warehouse holds, and never beyond the partition's end.
 *
 * <ul>
 *   <li>Monotone: along {@code checkpointTrail} followed by the final checkpoints, a partition's
 *       offset never decreases. The one excused drop is a deliberate rewind, a {@code redeliver} op
 *       in the history: with {@code partition} and {@code offset}, or {@code checkpoints} (a map
 *       partition -> offset) in its value (optionally {@code topic}), it excuses drops of those
 *       partitions to any offset at or above the rewind target. A redeliver invoked without targets
 *       excuses every drop (the trail has no times to tell before from after); the count {@code
 *       regressions excused by redeliver faults} says how many.
 *   <li>Not ahead of the warehouse: every Kafka record below its partition's checkpoint is applied
 *       (its event id is in the ledger, which also covers absorbed duplicates) or dead-lettered at
 *       its coordinates. This holds at every moment in a correct pipeline, drained or not, because
 *       the checkpoint commits in the warehouse transaction.
 *   <li>Not beyond the end: a checkpoint never exceeds the partition's end offset.
 *   <li>Complete: after a drained run every partition's checkpoint equals its end offset (every
 *       record consumed); a run that did not drain leaves this unknown.
 * </ul>
 */
public final class CheckpointsSoundChecker implements Checker {

  public static final String NAME = "checkpoints-sound";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    if (o.kafkaRecords().isEmpty() && o.partitionEnds().isEmpty() && !o.checkpoints().isEmpty()) {
      f.unknown(
          "neither Kafka records nor partition ends were observed",
          List.of("expected the topic read back after the run, actual nothing"));
      return f.result("");
    }
    monotone(o, f);
    Map<Coord, Long> checkpoints = Coord.checkpoints(o.checkpoints());
    Map<Coord, Long> ends = Coord.partitionEnds(o);

    List<String> beyond = new ArrayList<>();
    List<String> behind = new ArrayList<>();
    TreeSet<Coord> partitions = new TreeSet<>(checkpoints.keySet());
    partitions.addAll(ends.keySet());
    for (Coord p : partitions) {
      long end = ends.getOrDefault(p, 0L);
      Long checkpoint = checkpoints.get(p);
      String name = p.topic() + "-" + p.partition();
      if (checkpoint != null && checkpoint > end) {
        beyond.add(name + ": checkpoint " + checkpoint + ", partition end " + end);
      } else if (end > 0 && (checkpoint == null || checkpoint < end)) {
        behind.add(
            name
                + ": expected checkpoint "
                + end
                + " (partition end), actual "
                + (checkpoint == null ? "none" : checkpoint));
      }
    }
    if (!beyond.isEmpty()) {
      f.invalid(
          beyond.size() + " partitions checkpointed beyond their end",
          Evidence.firstFew(beyond, s -> s));
    }
    if (!behind.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          behind.size() + " partitions not consumed to their end",
          Evidence.firstFew(behind, s -> s));
    }

    Set<String> applied = new HashSet<>();
    o.ledger().stream().map(AppliedEvent::eventId).forEach(applied::add);
    Set<Coord> deadLettered = new HashSet<>();
    for (DeadLetter d : o.deadLetters()) {
      deadLettered.add(new Coord(d.topic(), d.partition(), d.offset()));
    }
    List<KafkaRecord> unaccounted = new ArrayList<>();
    long below = 0;
    for (KafkaRecord r : o.kafkaRecords()) {
      Coord c = Coord.of(r);
      if (c.offset() >= checkpoints.getOrDefault(c.partitionKey(), 0L)) {
        continue;
      }
      below++;
      boolean accounted =
          deadLettered.contains(c) || (r.eventId() != null && applied.contains(r.eventId()));
      if (!accounted) {
        unaccounted.add(r);
      }
    }
    if (!unaccounted.isEmpty()) {
      f.invalid(
          unaccounted.size()
              + " Kafka records below the checkpoint that the warehouse neither applied nor"
              + " dead-lettered (checkpoint ahead of the warehouse): "
              + Evidence.ids(unaccounted.stream().map(Coord::of).toList()),
          Evidence.firstFew(
              unaccounted,
              r ->
                  Coord.of(r)
                      + " (event "
                      + r.eventId()
                      + "): below checkpoint "
                      + checkpoints.get(Coord.of(r).partitionKey())
                      + ", expected in wh_applied_events or wh_dead_letters, actual in neither"));
    }

    f.count("partitions", partitions.size());
    f.count("trail samples", o.checkpointTrail().size());
    f.count("records below checkpoints", below);
    f.count("records unaccounted", unaccounted.size());
    return f.result(
        "checkpoints of "
            + partitions.size()
            + " partitions monotone, at their ends, and covering only applied or dead-lettered"
            + " records");
  }

  private static void monotone(Observation o, Findings f) {
    Map<Coord, Long> rewinds = new HashMap<>();
    long invoked = 0;
    long targeted = 0;
    boolean unrecordedRewind = false;
    for (Op op : o.history()) {
      if (!"redeliver".equals(op.f()) || op.type() == Op.Type.FAIL) {
        continue;
      }
      if (op.type() == Op.Type.INVOKE) {
        invoked++;
      }
      Object topic = op.value().get("topic");
      String t = topic == null ? "*" : topic.toString();
      if (op.value().get("partition") instanceof Number p
          && op.value().get("offset") instanceof Number off) {
        rewinds.merge(new Coord(t, p.intValue(), 0), off.longValue(), Math::min);
        targeted++;
      } else if (op.value().get("checkpoints") instanceof Map<?, ?> targets && !targets.isEmpty()) {
        targeted++;
        for (Map.Entry<?, ?> e : targets.entrySet()) {
          if (e.getValue() instanceof Number off) {
            try {
              int p = Integer.parseInt(String.valueOf(e.getKey()));
              rewinds.merge(new Coord(t, p, 0), off.longValue(), Math::min);
            } catch (NumberFormatException notAPartition) {
              unrecordedRewind = true;
            }
          }
        }
      }
    }
    // a rewind is recorded when its invoke or its completion names the targets
    unrecordedRewind |= invoked > targeted;
    List<Checkpoint> trail = new ArrayList<>(o.checkpointTrail());
    trail.addAll(o.checkpoints());
    Map<Coord, Long> last = new HashMap<>();
    List<String> regressions = new ArrayList<>();
    Set<Coord> regressed = new TreeSet<>();
    long excused = 0;
    for (Checkpoint c : trail) {
      Coord p = new Coord(c.topic(), c.partition(), 0);
      Long previous = last.get(p);
      if (previous != null && c.nextOffset() < previous) {
        if (unrecordedRewind || excused(rewinds, p, c.nextOffset())) {
          excused++;
        } else {
          regressions.add(
              c.topic()
                  + "-"
                  + c.partition()
                  + ": checkpoint went from "
                  + previous
                  + " back to "
                  + c.nextOffset());
          regressed.add(p);
        }
      }
      last.put(p, c.nextOffset());
    }
    if (!regressions.isEmpty()) {
      f.invalid(
          regressions.size()
              + " checkpoint regressions in partitions "
              + Evidence.ids(regressed.stream().map(p -> p.topic() + "-" + p.partition()).toList()),
          Evidence.firstFew(regressions, s -> s));
    }
    f.count("regressions", regressions.size());
    f.count("regressions excused by redeliver faults", excused);
  }

  private static boolean excused(Map<Coord, Long> rewinds, Coord partition, long offset) {
    Long exact = rewinds.get(partition);
    Long any = rewinds.get(new Coord("*", partition.partition(), 0));
    return (exact != null && offset >= exact) || (any != null && offset >= any);
  }
}
