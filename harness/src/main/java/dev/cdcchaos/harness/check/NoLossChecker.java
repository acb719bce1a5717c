package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.check.Observation.AppliedEvent;
import dev.cdcchaos.harness.check.Observation.DeadLetter;
import dev.cdcchaos.harness.check.Observation.KafkaRecord;
import dev.cdcchaos.harness.check.Observation.LakeRecord;
import dev.cdcchaos.pipeline.event.OrderEvent;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code no-loss}: every committed outbox event is in the idempotency ledger ({@code
 * wh_applied_events}) or dead-lettered with a reason.
 *
 * <p>An event neither applied nor dead-lettered is invalid after a drained run and unknown
 * otherwise (it may still be on its way), except when its outbox row is marked published and Kafka
 * does not hold it: then no one will ever send it again, and it is invalid either way. A dead
 * letter without a reason is invalid either way. The evidence says how far each missing event got
 * (Kafka, lake), which points at the stage that lost it.
 */
public final class NoLossChecker implements Checker {

  public static final String NAME = "no-loss";

  private static String describe(OrderEvent e) {
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
    Set<String> deadLettered =
        o.deadLetters().stream()
            .map(DeadLetter::eventId)
            .filter(id -> id != null)
            .collect(Collectors.toSet());
    Set<String> published =
        o.kafkaRecords().stream().map(KafkaRecord::eventId).collect(Collectors.toSet());
    Set<String> inLake = o.lake().stream().map(LakeRecord::eventId).collect(Collectors.toSet());

    List<OrderEvent> missing =
        o.outbox().stream()
            .filter(e -> !applied.contains(e.eventId()) && !deadLettered.contains(e.eventId()))
            .toList();
    List<OrderEvent> markedNeverSent =
        missing.stream()
            .filter(
                e -> o.markedPublished().contains(e.eventId()) && !published.contains(e.eventId()))
            .toList();
    List<OrderEvent> notYetApplied =
        missing.stream().filter(e -> !markedNeverSent.contains(e)).toList();
    if (!markedNeverSent.isEmpty()) {
      f.invalid(
          markedNeverSent.size()
              + " events marked published in the outbox but never in Kafka, lost for good, orders "
              + Evidence.ids(markedNeverSent.stream().map(OrderEvent::orderId).distinct().toList()),
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
              + Evidence.ids(notYetApplied.stream().map(OrderEvent::orderId).distinct().toList()),
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

    long outboxDeadLettered =
        o.outbox().stream().filter(e -> deadLettered.contains(e.eventId())).count();
    f.count("committed", o.outbox().size());
    f.count("applied", o.outbox().stream().filter(e -> applied.contains(e.eventId())).count());
    f.count("dead-lettered", outboxDeadLettered);
    f.count("missing", missing.size());
    return f.result(
        "all "
            + o.outbox().size()
            + " committed events applied ("
            + outboxDeadLettered
            + " dead-lettered with a reason)");
  }
}
