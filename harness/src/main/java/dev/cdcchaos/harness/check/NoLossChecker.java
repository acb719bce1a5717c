package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.harness.model.Event;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code no-loss}: every committed outbox event is applied: it is in the idempotency ledger ({@code
 * wh_applied_events}) and in no dead letter.
 *
 * <p>A committed outbox event is valid by construction, so one found in {@code wh_dead_letters} (by
 * the event id the pipeline recorded, or by the Kafka record at the dead letter's coordinates as
 * the harness decodes it) was rejected by mistake: it is lost, invalid either way, and the evidence
 * names the event and the reason the pipeline gave. Dead letters are for poison only.
 *
 * <p>An event neither applied nor dead-lettered is invalid after a drained run and unknown
 * otherwise (it may still be on its way), except when its outbox row is marked published and Kafka
 * does not hold it: then no one will ever send it again, and it is invalid either way. A dead
 * letter without a reason is invalid either way. The evidence says how far each missing event got
 * (Kafka, lake), which points at the stage that lost it.
 */
public final class NoLossChecker implements Checker {

  public static final String NAME = "no-loss";

  private static String describe(Event e) {
    return "order " + e.orderId() + " v" + e.version() + " " + e.type() + " event " + e.eventId();
  }

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    if (o.outbox().isEmpty()) {
      f.unknown(
          "no event was committed, so nothing was tested",
          List.of("expected committed outbox events, actual none"));
    }
    Set<String> applied =
        o.ledger().stream().map(AppliedEvent::eventId).collect(Collectors.toSet());
    Map<String, List<DeadLetter>> deadLettered = DeadLetters.ofOutboxEvents(o);
    Set<String> published =
        o.kafkaRecords().stream().map(KafkaRecord::eventId).collect(Collectors.toSet());
    Set<String> inLake = o.lake().stream().map(LakeRecord::eventId).collect(Collectors.toSet());

    List<Event> missing =
        o.outbox().stream()
            .filter(e -> !applied.contains(e.eventId()) && !deadLettered.containsKey(e.eventId()))
            .toList();
    List<Event> rejected =
        o.outbox().stream().filter(e -> deadLettered.containsKey(e.eventId())).toList();
    if (!rejected.isEmpty()) {
      f.invalid(
          rejected.size()
              + " committed events dead-lettered (a valid event is never poison, so each is lost),"
              + " orders "
              + Evidence.ids(rejected.stream().map(Event::orderId).distinct().toList()),
          Evidence.firstFew(
              rejected,
              e ->
                  describe(e)
                      + ": expected applied, actual dead-lettered "
                      + DeadLetters.where(deadLettered.get(e.eventId()))
                      + (applied.contains(e.eventId()) ? " (another copy was applied)" : "")));
    }
    List<Event> markedNeverSent =
        missing.stream()
            .filter(
                e -> o.markedPublished().contains(e.eventId()) && !published.contains(e.eventId()))
            .toList();
    List<Event> notYetApplied = missing.stream().filter(e -> !markedNeverSent.contains(e)).toList();
    if (!markedNeverSent.isEmpty()) {
      f.invalid(
          markedNeverSent.size()
              + " events marked published in the outbox but never in Kafka, lost for good, orders "
              + Evidence.ids(markedNeverSent.stream().map(Event::orderId).distinct().toList()),
          Evidence.firstFew(
              markedNeverSent,
              e ->
                  describe(e) + ": outbox row marked published, expected in Kafka, actual absent"));
    }
    if (!notYetApplied.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          notYetApplied.size()
              + " committed events neither applied nor dead-lettered, orders "
              + Evidence.ids(notYetApplied.stream().map(Event::orderId).distinct().toList()),
          Evidence.firstFew(
              notYetApplied,
              e ->
                  describe(e)
                      + ": expected in wh_applied_events, actual absent (in Kafka: "
                      + (published.contains(e.eventId()) ? "yes" : "no")
                      + ", in lake: "
                      + (inLake.contains(e.eventId()) ? "yes" : "no")
                      + ")"));
    }

    List<DeadLetter> reasonless =
        o.deadLetters().stream().filter(d -> d.reason() == null || d.reason().isBlank()).toList();
    if (!reasonless.isEmpty()) {
      f.invalid(
          reasonless.size() + " dead letters without a reason",
          Evidence.firstFew(
              reasonless,
              d ->
                  Evidence.coords(d.topic(), d.partition(), d.offset())
                      + " event "
                      + d.eventId()
                      + ": no reason recorded"));
    }

    f.count("committed", o.outbox().size());
    f.count("applied", o.outbox().stream().filter(e -> applied.contains(e.eventId())).count());
    f.count("dead-lettered", rejected.size());
    f.count("missing", missing.size());
    return f.result("all " + o.outbox().size() + " committed events applied, none dead-lettered");
  }
}
