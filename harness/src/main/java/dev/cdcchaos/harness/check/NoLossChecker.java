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
 * otherwise (it may still be on its way). A dead letter without a reason is invalid either way. The
 * evidence says how far each missing event got (Kafka, lake), which points at the stage that lost
 * it.
 */
public final class NoLossChecker implements Checker {

  public static final String NAME = "no-loss";

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
    if (!missing.isEmpty()) {
      f.invalidIfDrained(
          o.drained(),
          missing.size()
              + " committed events neither applied nor dead-lettered, orders "
              + Evidence.ids(missing.stream().map(OrderEvent::orderId).distinct().toList()),
          Evidence.firstFew(
              missing,
              e ->
                  "order "
                      + e.orderId()
                      + " v"
                      + e.version()
                      + " "
                      + e.type()
                      + " event "
                      + e.eventId()
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
