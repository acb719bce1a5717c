package dev.cdcchaos.harness.check;

import dev.cdcchaos.harness.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code liveness}: the pipeline drained within the scenario's bound after the last fault healed,
 * and the recovery time is recorded.
 *
 * <p>Not drained is unknown (the run could not be observed to its end), never a silent pass;
 * drained with a recovery time over the bound is invalid; drained without a recorded recovery time
 * is unknown. A run the harness saw stall (an {@value #STALLED} note in the history: the publisher
 * up and answering, yet leaving outbox rows unsent) is invalid: those rows never arrive. So is a
 * run that settled short (a {@value #SETTLED} note: the outbox empty and the consumer process
 * running, yet its checkpoints stopped before the end of the topic and nothing moved for 10 s), the
 * shape of a consumer that looks healthy while it is stuck (spring-projects/spring-kafka#1287).
 */
public final class LivenessChecker implements Checker {

  public static final String NAME = "liveness";

  /** The history note ({@code f}) by which the runner records that the pipeline stalled. */
  public static final String STALLED = "stalled";

  /**
   * The history note by which the runner records that the pipeline went quiet with records left in
   * the topic that the running consumer does not take.
   */
  public static final String SETTLED = "settled";

  @Override
  public CheckResult check(Observation o) {
    Findings f = new Findings(NAME);
    Duration bound = o.convergeBound();
    f.count("bound ms", bound.toMillis());
    o.convergeTime().ifPresent(t -> f.count("recovery ms", t.toMillis()));
    List<Op> stalls =
        o.history().stream()
            .filter(op -> op.type() == Op.Type.INFO && STALLED.equals(op.f()))
            .toList();
    Optional<Op> settled =
        o.history().stream()
            .filter(op -> op.type() == Op.Type.INFO && SETTLED.equals(op.f()))
            .findFirst();
    if (!stalls.isEmpty()) {
      f.invalid(
          "the pipeline stalled: " + stalls.get(0).value().getOrDefault("note", "no progress"),
          List.of(
              "expected every outbox row delivered within "
                  + human(bound)
                  + ", actual "
                  + stalls.get(0).value().getOrDefault("backlog", "some")
                  + " rows left unpublished while the publisher was up"));
    } else if (settled.isPresent()) {
      f.invalid(
          "the consumer stopped short: "
              + settled.get().value().getOrDefault("note", "no progress"),
          List.of(
              "expected the consumer's checkpoints at the end of every partition within "
                  + human(bound)
                  + ", actual no progress with records left in the topic while the consumer"
                  + " process ran"));
    } else if (!o.drained()) {
      f.unknown(
          "did not drain within " + human(bound) + " after the last fault healed",
          List.of(
              "expected drained within "
                  + human(bound)
                  + ", actual not drained"
                  + o.convergeTime().map(t -> " (last observed " + human(t) + ")").orElse("")));
    } else if (o.convergeTime().isEmpty()) {
      f.unknown(
          "drained, but the recovery time was not recorded",
          List.of("expected a recovery time, actual none"));
    } else if (o.convergeTime().get().compareTo(bound) > 0) {
      f.invalid(
          "converged after " + human(o.convergeTime().get()) + ", over the bound " + human(bound),
          List.of(
              "expected recovery within "
                  + human(bound)
                  + ", actual "
                  + human(o.convergeTime().get())));
    }
    return f.result(
        "converged "
            + o.convergeTime().map(LivenessChecker::human).orElse("?")
            + " after the last fault healed (bound "
            + human(bound)
            + ")");
  }

  static String human(Duration d) {
    long ms = d.toMillis();
    return ms < 1000 ? ms + " ms" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }
}
