package dev.cdcchaos.harness.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class FaultTimelineTest {

  private final AtomicLong clock = new AtomicLong();
  private final History history = new History(clock::get);

  private void at(long ms) {
    clock.set(ms * 1_000_000);
  }

  @Test
  void spansRunFromTheFaultToTheCompletionOfItsHeal() {
    at(1000);
    var p =
        history.invoke(
            "nemesis", "partition", Map.of("target", "consumer->kafka", "for", "2000ms"));
    history.ok(p, Map.of());
    at(1500);
    var w = history.invoke("writer-1", "create", Map.of("orderId", 1L));
    history.ok(w, Map.of());
    at(2000);
    var c =
        history.invoke(
            "nemesis", "crash", Map.of("target", "consumer", "point", "consumer.after-lake"));
    history.ok(c, Map.of());
    at(3000);
    var h = history.invoke("nemesis", "heal-partition", Map.of("target", "consumer->kafka"));
    at(3010);
    history.ok(h, Map.of());
    at(4000);
    var l = history.invoke("nemesis", "latency", Map.of("target", "publisher->kafka", "for", "9s"));
    history.ok(l, Map.of());
    at(4100);
    var failed = history.invoke("nemesis", "kill", Map.of("target", "kafka-2"));
    history.fail(failed, Map.of("error", "no such node"));

    assertThat(FaultTimeline.from(history.ops()))
        .containsExactly(
            new FaultSpan("partition", "consumer->kafka", 1000, 3010L),
            new FaultSpan("crash", "consumer.after-lake", 2000, 2000L),
            new FaultSpan("latency", "publisher->kafka", 4000, null));
  }

  @Test
  void aCrashOfOneOfSeveralPublishersNamesWhichOne() {
    at(1000);
    var c =
        history.invoke(
            "nemesis", "crash", Map.of("target", "publisher-2", "point", "publisher.after-send"));
    history.ok(c, Map.of());
    at(2000);
    var p =
        history.invoke(
            "nemesis", "crash", Map.of("target", "publisher", "point", "publisher.before-mark"));
    history.ok(p, Map.of());
    at(3000);
    var k = history.invoke("nemesis", "kill", Map.of("target", "publisher-3", "for", "1000ms"));
    history.ok(k, Map.of());

    assertThat(FaultTimeline.from(history.ops()))
        .as("the report must tell which publisher a fault hit")
        .containsExactly(
            new FaultSpan("crash", "publisher-2 at publisher.after-send", 1000, 1000L),
            new FaultSpan("crash", "publisher.before-mark", 2000, 2000L),
            new FaultSpan("kill", "publisher-3", 3000, null));
  }

  @Test
  void aSlowCommitSpanNamesTheTransactionsItHeld() {
    at(1000);
    var f =
        history.invoke("nemesis", "slow-commit", Map.of("target", "2 writers", "for", "2000ms"));
    history.ok(f, Map.of());
    at(1010);
    history.note(
        "writer-3", "slow-commit-hold", Map.of("outbox_id", 73L, "order", 3L, "version", 4L));
    at(1020);
    history.note(
        "writer-1", "slow-commit-hold", Map.of("outbox_id", 75L, "order", 9L, "version", 1L));
    at(3000);
    var h = history.invoke("nemesis", "heal-slow-commit", Map.of("target", "2 writers"));
    history.ok(h, Map.of());
    at(3500);
    history.note(
        "writer-2", "slow-commit-hold", Map.of("outbox_id", 99L, "order", 2L, "version", 2L));

    assertThat(FaultTimeline.from(history.ops()))
        .as("holds after the heal belong to no span")
        .containsExactly(
            new FaultSpan(
                "slow-commit",
                "2 writers: writer-3 held outbox id 73 (order 3 v4), writer-1 held outbox id 75"
                    + " (order 9 v1)",
                1000,
                3000L));
  }
}
