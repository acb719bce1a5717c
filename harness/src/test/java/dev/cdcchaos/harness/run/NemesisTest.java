package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The fault schedule on a hand-driven clock: when faults fire and heal, without any server. */
class NemesisTest {

  private final AtomicLong clock = new AtomicLong(1_000_000_000L);
  private final List<String> log = new ArrayList<>();

  private Nemesis nemesis(FaultSpec... schedule) {
    Nemesis n =
        new Nemesis(
            List.of(schedule),
            spec -> {
              log.add(at() + " start " + spec.fault().kind());
              return () -> log.add(at() + " heal " + spec.fault().kind());
            },
            clock::get);
    n.start();
    return n;
  }

  private long at() {
    return (clock.get() - 1_000_000_000L) / 1_000_000;
  }

  private void advance(long ms) {
    clock.addAndGet(ms * 1_000_000);
  }

  private static final Nemesis.Progress NONE = new Nemesis.Progress(0, 0, 0);

  @Test
  void aTimedWindowFiresAtItsOffsetAndHealsAfterItsDuration() {
    Nemesis n =
        nemesis(
            FaultSpec.of(
                new Trigger.After(Duration.ofSeconds(3)),
                Duration.ofSeconds(2),
                new Fault.Partition(Link.CONSUMER_KAFKA)));
    n.tick(NONE, false);
    advance(2_999);
    n.tick(NONE, false);
    assertThat(log).as("not before its offset").isEmpty();
    advance(1);
    n.tick(NONE, false);
    assertThat(log).containsExactly("3000 start partition");
    assertThat(n.anyActive()).isTrue();
    advance(1_999);
    n.tick(NONE, false);
    assertThat(log).as("still holding").hasSize(1);
    advance(1);
    n.tick(NONE, false);
    assertThat(log).containsExactly("3000 start partition", "5000 heal partition");
    assertThat(n.anyActive()).isFalse();
    assertThat(n.lastHealNanos()).isEqualTo(clock.get());
  }

  @Test
  void aFaultAtZeroFiresBeforeTheWritersAndTheOthersCountFromTheFirstCommit() {
    Nemesis n =
        new Nemesis(
            List.of(
                FaultSpec.of(
                    new Trigger.After(Duration.ZERO), new Fault.Partition(Link.CONSUMER_KAFKA)),
                FaultSpec.of(
                    new Trigger.After(Duration.ofSeconds(1)),
                    Duration.ofSeconds(1),
                    new Fault.Partition(Link.PUBLISHER_KAFKA))),
            spec -> {
              log.add(at() + " start " + spec.fault().kind());
              return () -> log.add(at() + " heal " + spec.fault().kind());
            },
            clock::get);
    n.startAroundFirstCommit(
        () -> log.add(at() + " writers"),
        onPoll -> advance(2_500)); // the writers' first commit comes 2.5 s later
    assertThat(log)
        .as("the fault at 0s is in place before the first write")
        .containsExactly("0 start partition", "0 writers");
    advance(999);
    n.tick(NONE, false);
    assertThat(log).as("1 s counts from the first commit, not from the writers' start").hasSize(2);
    advance(1);
    n.tick(NONE, false);
    assertThat(log).last().isEqualTo("3500 start partition");
  }

  @Test
  void aWindowAtZeroHealsOnTimeWhileTheFirstCommitIsAwaited() {
    // a slow-commit of the only writer at 0s is what keeps the first commit from coming: its
    // window must end while the nemesis waits, not when the wait gives up (CI: held 29 s for 3 s)
    Nemesis n =
        nemesis(
            FaultSpec.of(
                new Trigger.After(Duration.ZERO), Duration.ofSeconds(3), new Fault.SlowCommit(1)));
    n.startAroundFirstCommit(
        () -> log.add(at() + " writers"),
        onPoll -> {
          for (int i = 0; i < 40 && log.stream().noneMatch(l -> l.contains("heal")); i++) {
            advance(100);
            onPoll.run();
          }
          log.add(at() + " first commit");
        });
    assertThat(log)
        .containsExactly(
            "0 start slow-commit", "0 writers", "3000 heal slow-commit", "3000 first commit");
    assertThat(n.anyActive()).isFalse();
  }

  @Test
  void aProgressTriggerWaitsForItsCounter() {
    Nemesis n =
        nemesis(
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 300),
                Fault.Crash.at("consumer.after-warehouse")));
    n.tick(new Nemesis.Progress(1_000, 1_000, 299), false);
    assertThat(log).isEmpty();
    assertThat(n.progressTriggersLeft()).isTrue();
    assertThat(n.timeTriggersLeft()).isFalse();
    n.tick(new Nemesis.Progress(1_000, 1_000, 300), false);
    assertThat(log)
        .as("a crash is a one-off: armed and done in the same tick")
        .containsExactly("0 start crash", "0 heal crash");
    assertThat(n.pending()).isEmpty();
  }

  @Test
  void aWindowWithoutDurationHoldsUntilTheWorkloadIsDone() {
    Nemesis n = nemesis(FaultSpec.of(new Trigger.After(Duration.ZERO), new Fault.Duplicate(0.5)));
    n.tick(NONE, false);
    advance(60_000);
    n.tick(NONE, false);
    assertThat(log).containsExactly("0 start duplicate");
    n.tick(NONE, true);
    assertThat(log).containsExactly("0 start duplicate", "60000 heal duplicate");
  }

  @Test
  void aKillWithoutDurationIsRestartedInTheSameTickAndOneWithDurationAfterIt() {
    Nemesis n =
        nemesis(
            FaultSpec.of(new Trigger.After(Duration.ZERO), new Fault.Kill(Target.Service.CONSUMER)),
            FaultSpec.of(
                new Trigger.After(Duration.ofSeconds(1)),
                Duration.ofMillis(500),
                new Fault.Kill(Target.Service.PUBLISHER)));
    n.tick(NONE, false);
    advance(1_000);
    n.tick(NONE, false);
    advance(500);
    n.tick(NONE, false);
    assertThat(log)
        .containsExactly("0 start kill", "0 heal kill", "1000 start kill", "1500 heal kill");
  }

  @Test
  void healAllEndsEveryHoldingFaultAndKeepsThePendingOnesPending() {
    Nemesis n =
        nemesis(
            FaultSpec.of(new Trigger.After(Duration.ZERO), new Fault.Reorder(10)),
            FaultSpec.of(
                new Trigger.Progress(Trigger.Counter.EVENTS_PUBLISHED, 1_000_000),
                new Fault.Duplicate(0.1)));
    n.tick(NONE, false);
    advance(100);
    n.healAll();
    assertThat(log).containsExactly("0 start reorder", "100 heal reorder");
    assertThat(n.anyActive()).isFalse();
    assertThat(n.pending()).hasSize(1);
  }

  @Test
  void faultsDueInTheSameTickStartInScheduleOrder() {
    Nemesis n =
        nemesis(
            FaultSpec.of(new Trigger.After(Duration.ofSeconds(1)), new Fault.Duplicate(0.2)),
            FaultSpec.of(new Trigger.After(Duration.ofSeconds(1)), new Fault.Reorder(5)));
    advance(5_000);
    n.tick(NONE, false);
    assertThat(log).containsExactly("5000 start duplicate", "5000 start reorder");
    assertThat(n.activeKinds()).containsExactly("duplicate", "reorder");
  }

  @Test
  void theTotalDurationAddsEveryFor() {
    assertThat(
            Nemesis.totalDuration(
                List.of(
                    FaultSpec.of(
                        new Trigger.After(Duration.ZERO),
                        Duration.ofSeconds(2),
                        new Fault.Partition(Link.CONSUMER_KAFKA)),
                    FaultSpec.of(new Trigger.After(Duration.ZERO), new Fault.Duplicate(0.1)),
                    FaultSpec.of(
                        new Trigger.After(Duration.ZERO),
                        Duration.ofMillis(500),
                        new Fault.Pause(Target.Service.CONSUMER)))))
        .isEqualTo(Duration.ofMillis(2_500));
  }
}
