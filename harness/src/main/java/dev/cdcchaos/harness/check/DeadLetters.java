package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.model.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which committed outbox events sit in {@code wh_dead_letters}. A dead letter holds an event when
 * the pipeline recorded its id, or when the Kafka record at the dead letter's coordinates decodes
 * (by the harness) to it: the pipeline may have failed to parse a valid event, so its own column
 * cannot be the only witness.
 */
final class DeadLetters {

  private DeadLetters() {}

  /** Outbox event id to the dead letters holding it, in outbox order. */
  static Map<String, List<DeadLetter>> ofOutboxEvents(Observation o) {
    Set<String> outbox = new HashSet<>();
    o.outbox().forEach(e -> outbox.add(e.eventId()));
    Map<Coord, String> kafka = new HashMap<>();
    for (KafkaRecord r : o.kafkaRecords()) {
      if (r.eventId() != null) {
        kafka.put(Coord.of(r), r.eventId());
      }
    }
    Map<String, List<DeadLetter>> held = new HashMap<>();
    for (DeadLetter d : o.deadLetters()) {
      Set<String> ids = new HashSet<>();
      if (d.eventId() != null) {
        ids.add(d.eventId());
      }
      String atCoords = kafka.get(new Coord(d.topic(), d.partition(), d.offset()));
      if (atCoords != null) {
        ids.add(atCoords);
      }
      ids.retainAll(outbox);
      for (String id : ids) {
        held.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
      }
    }
    Map<String, List<DeadLetter>> ordered = new LinkedHashMap<>();
    for (Event e : o.outbox()) {
      List<DeadLetter> ds = held.get(e.eventId());
      if (ds != null) {
        ordered.putIfAbsent(e.eventId(), ds);
      }
    }
    return ordered;
  }

  /** "at cdc.orders-0@3 with reason 'not JSON: ...'", for every dead letter of one event. */
  static String where(List<DeadLetter> letters) {
    StringBuilder sb = new StringBuilder();
    for (DeadLetter d : letters) {
      sb.append(sb.length() == 0 ? "" : "; ")
          .append("at ")
          .append(Evidence.coords(d.topic(), d.partition(), d.offset()))
          .append(" with reason '")
          .append(d.reason())
          .append("'");
    }
    return sb.toString();
  }
}
