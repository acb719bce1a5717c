package dev.cdcchaos.harness.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import dev.cdcchaos.harness.workload.PoisonKind;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The judge of fault evidence, on hand-built observations: no servers, no processes. */
class FaultEffectsTest {

  private static final Trigger AT_1S = new Trigger.After(Duration.ofSeconds(1));
  private static final Trigger AT_300_APPLIED =
      new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 300);

  private static final FaultSpec PARTITION =
      FaultSpec.of(AT_1S, Duration.ofSeconds(2), new Fault.Partition(Link.CONSUMER_KAFKA));
  private static final FaultSpec CRASH =
      FaultSpec.of(AT_300_APPLIED, Fault.Crash.at("consumer.after-lake"));

  private static final RunVerdict ALL_VALID =
      new RunVerdict(
          Verdict.VALID,
          List.of(new CheckResult("converged", Verdict.VALID, "ok", List.of(), Map.of())));

  private static FaultEffect one(FaultSpec spec, Observed observed) {
    return one(spec, observed, List.of());
  }

  private static FaultEffect one(FaultSpec spec, Observed observed, List<Death> deaths) {
    return FaultEffects.judge(
            List.of(spec), List.of(new FaultTrace(0, 1000, Optional.of(3000L), observed)), deaths)
        .get(0);
  }

  private static LinkEffect traffic(long bytes, long dropped, long hit, long cut) {
    return new LinkEffect(1, bytes, hit, dropped, 0, cut, 0, 0, 0);
  }

  // ------------------------------------------------------------------ the two cases of the issue

  @Test
  void aFaultThatNeverFiredDidNotTakeEffectAndMakesTheRunUnknown() {
    List<FaultEffect> effects = FaultEffects.judge(List.of(CRASH), List.of(), List.of());

    assertThat(effects).hasSize(1);
    FaultEffect e = effects.get(0);
    assertThat(e.fired()).isFalse();
    assertThat(e.tookEffect()).as("a trigger never reached proves nothing").isFalse();
    assertThat(e.evidence()).contains("never fired").contains("events_applied 300");
    assertThat(e.point()).isEqualTo("consumer.after-lake");

    RunVerdict run = FaultEffects.combine(ALL_VALID, effects);
    assertThat(run.overall())
        .as("every invariant held, but the crash never happened: the run is not a pass")
        .isEqualTo(Verdict.UNKNOWN);
    CheckResult faults = run.result(FaultEffects.CHECK).orElseThrow();
    assertThat(faults.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(faults.summary())
        .as("the report names the fault")
        .contains("crash consumer at consumer.after-lake")
        .contains("never fired");
    assertThat(run.results().get(0).invariant()).as("worst first").isEqualTo(FaultEffects.CHECK);
  }

  @Test
  void aPartitionOverAnIdleLinkDidNotTakeEffectAndMakesTheRunUnknown() {
    FaultEffect e = one(PARTITION, new Observed.OnLink(Optional.of(LinkEffect.IDLE)));

    assertThat(e.fired()).isTrue();
    assertThat(e.tookEffect()).as("nothing tried to cross, nothing was held back").isFalse();
    assertThat(e.evidence())
        .contains(
            "no data tried to cross consumer->kafka in the 2000 ms from injecting to healing");
    assertThat(FaultEffects.combine(ALL_VALID, List.of(e)).overall()).isEqualTo(Verdict.UNKNOWN);
  }

  // ------------------------------------------------------------------ verdicts

  @Test
  void anOptionalFaultThatDidNotTakeEffectKeepsTheVerdictButIsReported() {
    FaultSpec optional = CRASH.withOptional(true);
    List<FaultEffect> effects = FaultEffects.judge(List.of(optional), List.of(), List.of());

    assertThat(effects.get(0).tookEffect()).isFalse();
    RunVerdict run = FaultEffects.combine(ALL_VALID, effects);
    assertThat(run.overall()).isEqualTo(Verdict.VALID);
    assertThat(run.result(FaultEffects.CHECK).orElseThrow().summary())
        .isEqualTo("0 of 1 faults took effect (1 optional did not)");
  }

  @Test
  void anInvalidRunStaysInvalidWhateverTheFaultsDid() {
    RunVerdict broken =
        new RunVerdict(
            Verdict.INVALID,
            List.of(new CheckResult("no-loss", Verdict.INVALID, "lost", List.of(), Map.of())));
    RunVerdict run =
        FaultEffects.combine(broken, FaultEffects.judge(List.of(CRASH), List.of(), List.of()));
    assertThat(run.overall())
        .as("a broken invariant is proof on its own")
        .isEqualTo(Verdict.INVALID);
    assertThat(run.results())
        .extracting(CheckResult::invariant)
        .containsExactly("no-loss", FaultEffects.CHECK);
  }

  @Test
  void everyFaultThatTookEffectAddsAValidLineAndNoFaultsAddNone() {
    FaultEffect bit = one(PARTITION, new Observed.OnLink(Optional.of(traffic(900, 300, 2, 1))));
    RunVerdict run = FaultEffects.combine(ALL_VALID, List.of(bit));
    assertThat(run.overall()).isEqualTo(Verdict.VALID);
    assertThat(run.result(FaultEffects.CHECK).orElseThrow().summary())
        .isEqualTo("1 of 1 faults took effect");
    assertThat(FaultEffects.combine(ALL_VALID, List.of())).isSameAs(ALL_VALID);
  }

  // ------------------------------------------------------------------ network

  @Test
  void aBlackholeTookEffectWhenItHeldBytesBack() {
    FaultEffect e = one(PARTITION, new Observed.OnLink(Optional.of(traffic(900, 300, 2, 1))));
    assertThat(e.tookEffect()).isTrue();
    assertThat(e.evidence())
        .isEqualTo(
            "300 bytes held back on 2 connections in the 2000 ms from injecting to healing, 1 of them closed when it healed");
    assertThat(e.counts())
        .containsEntry("bytes dropped", 300L)
        .containsEntry("connections cut", 1L);
  }

  @Test
  void aDownPartitionTookEffectWhenItClosedOpenConnections() {
    FaultSpec down =
        FaultSpec.of(
            AT_1S,
            Duration.ofSeconds(1),
            new Fault.Partition(Link.PUBLISHER_POSTGRES, Direction.BOTH, Fault.PartitionMode.DOWN));
    assertThat(
            one(down, new Observed.OnLink(Optional.of(new LinkEffect(0, 0, 0, 0, 0, 0, 0, 0, 2))))
                .tookEffect())
        .isTrue();
    FaultEffect none = one(down, new Observed.OnLink(Optional.of(LinkEffect.IDLE)));
    assertThat(none.tookEffect()).isFalse();
    assertThat(none.evidence()).startsWith("no connection was open when the link went down");
  }

  @Test
  void aCutInsideTransactionsTookEffectOnlyWhenAWriterWasHeldThereAndTheLinkWasCut() {
    FaultSpec inside =
        FaultSpec.of(
            AT_1S,
            Duration.ofSeconds(1),
            new Fault.Partition(
                Link.WRITER_POSTGRES,
                Direction.BOTH,
                Fault.PartitionMode.DOWN,
                Optional.of("writer.after-orders")));
    Observed.OnLink cut =
        new Observed.OnLink(Optional.of(new LinkEffect(0, 0, 0, 0, 0, 0, 0, 0, 2)));
    FaultEffect e =
        one(
            inside,
            new Observed.InTransactions(
                cut, "writer.after-orders", List.of("writer-0", "writer-2")));
    assertThat(e.tookEffect()).isTrue();
    assertThat(e.evidence())
        .startsWith("writer-0, writer-2 held inside their transactions at writer.after-orders");
    assertThat(e.counts()).containsEntry("writers inside a transaction", 2L);

    FaultEffect noneHeld =
        one(inside, new Observed.InTransactions(cut, "writer.after-orders", List.of()));
    assertThat(noneHeld.tookEffect())
        .as("a cut that met no open transaction did not test the outbox promise")
        .isFalse();
    assertThat(noneHeld.evidence()).startsWith("no writer reached writer.after-orders");

    FaultEffect idle =
        one(
            inside,
            new Observed.InTransactions(
                new Observed.OnLink(Optional.of(LinkEffect.IDLE)),
                "writer.after-orders",
                List.of("writer-1")));
    assertThat(idle.tookEffect()).as("held, but the cut closed no connection").isFalse();
  }

  @Test
  void withoutProxyCountersANetworkFaultIsNotProven() {
    FaultEffect e = one(PARTITION, new Observed.OnLink(Optional.empty()));
    assertThat(e.tookEffect()).as("real Toxiproxy has no counters: never assume").isFalse();
    assertThat(e.evidence()).startsWith("unknown: the proxy reports no counters");
  }

  @Test
  void eachOtherNetworkKindNeedsItsOwnCounter() {
    LinkEffect delayed = new LinkEffect(1, 500, 1, 0, 400, 0, 0, 0, 0);
    LinkEffect reset = new LinkEffect(1, 500, 1, 0, 0, 0, 3, 0, 0);
    LinkEffect cut = new LinkEffect(1, 500, 1, 20, 0, 2, 0, 0, 0);
    LinkEffect slowClose = new LinkEffect(1, 500, 1, 0, 0, 0, 0, 1, 0);
    Fault.Latency latency =
        new Fault.Latency(
            Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, Duration.ofMillis(100), Duration.ZERO);
    Fault.Bandwidth bandwidth = new Fault.Bandwidth(Link.CONSUMER_KAFKA, Direction.DOWNSTREAM, 64);
    Fault.ResetPeer resetPeer =
        new Fault.ResetPeer(Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, Duration.ZERO);
    Fault.LimitData limit = new Fault.LimitData(Link.PUBLISHER_KAFKA, Direction.DOWNSTREAM, 1000);
    Fault.SlowClose close =
        new Fault.SlowClose(Link.CONSUMER_KAFKA, Direction.DOWNSTREAM, Duration.ofSeconds(1));
    Map<Fault, LinkEffect> proof =
        Map.of(
            latency, delayed, bandwidth, delayed, resetPeer, reset, limit, cut, close, slowClose);
    for (Map.Entry<Fault, LinkEffect> p : proof.entrySet()) {
      FaultSpec spec = FaultSpec.of(AT_1S, Duration.ofSeconds(2), p.getKey());
      assertThat(one(spec, new Observed.OnLink(Optional.of(p.getValue()))).tookEffect())
          .as("%s with its own evidence", p.getKey().kind())
          .isTrue();
      for (LinkEffect other : List.of(delayed, reset, cut, slowClose)) {
        if (other != p.getValue() && !(p.getValue() == delayed && other == delayed)) {
          FaultEffect e = one(spec, new Observed.OnLink(Optional.of(other)));
          assertThat(e.tookEffect())
              .as("%s is not proven by another toxic's counter (%s)", p.getKey().kind(), other)
              .isFalse();
          assertThat(e.evidence()).contains("500 bytes tried to cross");
        }
      }
    }
  }

  // ------------------------------------------------------------------ processes

  @Test
  void aKillTookEffectOnlyOnALivePidThatWasGoneAfterwards() {
    FaultSpec kill = FaultSpec.of(AT_1S, new Fault.Kill(new Target.Broker(1)));
    FaultEffect bit =
        one(kill, new Observed.Signalled("kafka-1", OptionalLong.of(4242), true, true));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence()).isEqualTo("SIGKILL to live pid 4242 (kafka-1), gone");
    assertThat(bit.counts()).containsEntry("pid", 4242L);

    FaultEffect down =
        one(kill, new Observed.Signalled("kafka-1", OptionalLong.empty(), false, true));
    assertThat(down.tookEffect()).isFalse();
    assertThat(down.evidence()).isEqualTo("kafka-1 was not running when the kill came");
    assertThat(
            one(kill, new Observed.Signalled("kafka-1", OptionalLong.of(1), true, false))
                .tookEffect())
        .as("still alive after SIGKILL")
        .isFalse();
  }

  @Test
  void aProcessFaultNamesTheNodeItsTargetResolvedTo() {
    FaultSpec kill = FaultSpec.of(AT_1S, new Fault.Kill(Target.Service.KAFKA_LEADER));
    assertThat(
            one(kill, new Observed.Signalled("kafka-2", OptionalLong.of(454), true, true))
                .evidence())
        .isEqualTo("SIGKILL to live pid 454 (kafka-2, the kafka-leader), gone");
  }

  @Test
  void aPauseTookEffectWhenTheSamePidWasStoppedAndResumed() {
    FaultSpec pause =
        FaultSpec.of(AT_1S, Duration.ofSeconds(2), new Fault.Pause(Target.Service.POSTGRES));
    FaultEffect bit =
        one(
            pause,
            new Observed.Paused(
                "postgres", OptionalLong.of(77), Optional.of(true), OptionalLong.of(77)));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .isEqualTo(
            "SIGSTOP to live pid 77 (postgres, seen stopped), SIGCONT to the same pid 2000 ms later");
    assertThat(
            one(
                    pause,
                    new Observed.Paused(
                        "postgres", OptionalLong.of(77), Optional.empty(), OptionalLong.of(77)))
                .evidence())
        .as("where /proc cannot be read, the signal to a live pid is the evidence, and it says so")
        .contains("stopped state not readable here");
    assertThat(
            one(
                    pause,
                    new Observed.Paused(
                        "postgres", OptionalLong.of(77), Optional.of(false), OptionalLong.of(77)))
                .tookEffect())
        .as("seen running after SIGSTOP")
        .isFalse();
    assertThat(
            one(
                    pause,
                    new Observed.Paused(
                        "postgres", OptionalLong.of(77), Optional.of(true), OptionalLong.of(78)))
                .tookEffect())
        .as("another process was running at the resume")
        .isFalse();
    assertThat(
            one(
                    pause,
                    new Observed.Paused(
                        "postgres", OptionalLong.empty(), Optional.of(false), OptionalLong.empty()))
                .evidence())
        .isEqualTo("postgres was not running when the pause came");
  }

  @Test
  void aRestartTookEffectWhenALiveProcessWentDownAndCameBack() {
    FaultSpec restart = FaultSpec.of(AT_1S, new Fault.Restart(Target.Service.CONSUMER));
    FaultEffect bit =
        one(
            restart,
            new Observed.Restarted("consumer", OptionalLong.of(10), true, OptionalLong.of(11)));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence()).isEqualTo("stopped live pid 10 (consumer), started again as pid 11");
    assertThat(
            one(
                    restart,
                    new Observed.Restarted(
                        "consumer", OptionalLong.of(10), true, OptionalLong.empty()))
                .tookEffect())
        .as("did not come up again")
        .isFalse();
    assertThat(
            one(
                    restart,
                    new Observed.Restarted(
                        "consumer", OptionalLong.empty(), true, OptionalLong.of(11)))
                .tookEffect())
        .as("nothing was running to restart")
        .isFalse();
  }

  // ------------------------------------------------------------------ crashes

  @Test
  void aCrashTookEffectWhenTheProcessHaltedAtItsPoint() {
    Observed armed = new Observed.Armed("consumer", "consumer.after-lake");
    Death halted =
        new Death("consumer", 2500, OptionalInt.of(137), Optional.of("consumer.after-lake"));
    FaultEffect bit = one(CRASH, armed, List.of(halted));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .isEqualTo("consumer halted at consumer.after-lake (exit 137, 1500 ms after it was armed)");
    assertThat(bit.counts()).containsEntry("exit code", 137L);

    FaultEffect unreached = one(CRASH, armed, List.of());
    assertThat(unreached.tookEffect()).isFalse();
    assertThat(unreached.evidence())
        .isEqualTo("consumer never reached consumer.after-lake while it was armed");

    Death other = new Death("consumer", 2500, OptionalInt.of(1), Optional.empty());
    FaultEffect accident = one(CRASH, armed, List.of(other));
    assertThat(accident.tookEffect()).as("an exit code alone proves no crash point").isFalse();
    assertThat(accident.evidence()).contains("died (exit 1) without reaching consumer.after-lake");

    Death elsewhere =
        new Death("publisher", 2500, OptionalInt.of(137), Optional.of("consumer.after-lake"));
    assertThat(one(CRASH, armed, List.of(elsewhere)).tookEffect())
        .as("another process's death")
        .isFalse();
    Death before =
        new Death("consumer", 500, OptionalInt.of(137), Optional.of("consumer.after-lake"));
    assertThat(one(CRASH, armed, List.of(before)).tookEffect())
        .as("a death before the crash was armed")
        .isFalse();
  }

  @Test
  void oneDeathProvesOneCrashOnly() {
    FaultSpec second =
        FaultSpec.of(
            new Trigger.Progress(Trigger.Counter.EVENTS_APPLIED, 700),
            Fault.Crash.at("consumer.after-lake"));
    Observed armed = new Observed.Armed("consumer", "consumer.after-lake");
    List<FaultTrace> traces =
        List.of(
            new FaultTrace(0, 1000, Optional.empty(), armed),
            new FaultTrace(1, 4000, Optional.empty(), armed));
    Death first =
        new Death("consumer", 1200, OptionalInt.of(137), Optional.of("consumer.after-lake"));
    List<FaultEffect> one = FaultEffects.judge(List.of(CRASH, second), traces, List.of(first));
    assertThat(one).extracting(FaultEffect::tookEffect).containsExactly(true, false);

    Death again =
        new Death("consumer", 4100, OptionalInt.of(137), Optional.of("consumer.after-lake"));
    assertThat(FaultEffects.judge(List.of(CRASH, second), traces, List.of(again, first)))
        .extracting(FaultEffect::tookEffect)
        .containsExactly(true, true);
  }

  // ------------------------------------------------------------------ delivery and data

  @Test
  void deliveryFaultsTookEffectWhenTheyChangedSends() {
    FaultSpec duplicate = FaultSpec.of(AT_1S, Duration.ofSeconds(3), new Fault.Duplicate(0.2));
    FaultSpec reorder = FaultSpec.of(AT_1S, Duration.ofSeconds(3), new Fault.Reorder(10));
    assertThat(one(duplicate, new Observed.Sends(12, 40, 3)).evidence())
        .isEqualTo("12 sends duplicated in 3 batches");
    assertThat(one(reorder, new Observed.Sends(12, 40, 3)).evidence())
        .isEqualTo("40 records sent out of claim order in 3 batches");
    FaultEffect idle = one(duplicate, new Observed.Sends(0, 0, 0));
    assertThat(idle.tookEffect()).as("nothing to duplicate").isFalse();
    assertThat(idle.evidence()).contains("the publishers sent nothing while it held");
    assertThat(one(reorder, new Observed.Sends(5, 0, 2)).tookEffect())
        .as("duplicates do not prove a reorder")
        .isFalse();
  }

  @Test
  void aRedeliveryTookEffectWhenACheckpointMovedBack() {
    FaultSpec redeliver =
        FaultSpec.of(AT_300_APPLIED, new Fault.Redeliver(new Fault.Rewind.By(150)));
    FaultEffect bit =
        one(redeliver, new Observed.Rewound(Map.of(0, 400L, 1, 100L), Map.of(0, 250L, 1, 0L)));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .isEqualTo("checkpoints moved back: partition 0 400 -> 250, partition 1 100 -> 0");
    assertThat(bit.counts()).containsEntry("records to read again", 250L);
    FaultEffect nothing = one(redeliver, new Observed.Rewound(Map.of(), Map.of()));
    assertThat(nothing.tookEffect()).isFalse();
    assertThat(nothing.evidence()).contains("no checkpoints yet");
    assertThat(one(redeliver, new Observed.Rewound(Map.of(0, 0L), Map.of(0, 0L))).tookEffect())
        .isFalse();
  }

  @Test
  void anOffsetResetTookEffectWhenItMovedTheGroupAwayFromTheCheckpointsAndTheConsumerMetIt() {
    FaultSpec reset =
        FaultSpec.of(AT_300_APPLIED, new Fault.ResetOffsets(new Fault.OffsetReset.Earliest()));
    FaultEffect bit =
        one(
            reset,
            new Observed.OffsetsReset(
                Map.of(0, 220L, 1, 155L),
                Map.of(0, 0L, 1, 155L),
                Map.of(0, 220L, 1, 155L),
                Optional.of("honoured an offset reset someone else wrote")));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .startsWith("group offsets moved: partition 0 220 -> 0 (220 below the checkpoint 220)")
        .endsWith("the consumer answered: honoured an offset reset someone else wrote");
    assertThat(bit.counts()).containsEntry("records below the checkpoints", 220L);
    FaultEffect unanswered =
        one(
            reset,
            new Observed.OffsetsReset(
                Map.of(0, 220L), Map.of(0, 0L), Map.of(0, 220L), Optional.empty()));
    assertThat(unanswered.tookEffect()).isFalse();
    assertThat(unanswered.evidence()).contains("the consumer never said it met the reset");
    FaultEffect toTheCheckpoint =
        one(
            reset,
            new Observed.OffsetsReset(
                Map.of(0, 220L), Map.of(0, 220L), Map.of(0, 220L), Optional.of("anything")));
    assertThat(toTheCheckpoint.tookEffect()).isFalse();
    assertThat(toTheCheckpoint.evidence()).contains("nothing to re-read or skip");
  }

  @Test
  void aRecreatedTopicTookEffectWhenItCameBackWithANewIdAfterHoldingRecords() {
    FaultSpec recreate = FaultSpec.of(AT_300_APPLIED, new Fault.RecreateTopic());
    FaultEffect bit =
        one(
            recreate,
            new Observed.TopicRecreated(
                Optional.of("A"),
                Optional.of("B"),
                Map.of(0, 200L, 1, 100L),
                true,
                Optional.of("topic t was recreated (id A -> B)"),
                Map.of(0, 7L, 1, 3L)));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .startsWith("topic A with 300 records deleted after the consumer read all of it")
        .contains("created again as B (offsets restart at 0), which got 10 records")
        .endsWith("the consumer answered: topic t was recreated (id A -> B)");
    assertThat(bit.counts())
        .containsEntry("records in the old topic", 300L)
        .containsEntry("records in the new topic", 10L);
    FaultEffect notDrained =
        one(
            recreate,
            new Observed.TopicRecreated(
                Optional.of("A"), Optional.empty(), Map.of(), false, Optional.empty(), Map.of()));
    assertThat(notDrained.tookEffect())
        .as("a topic the consumer had not read to its end is left alone")
        .isFalse();
    assertThat(notDrained.evidence()).contains("did not read the whole topic in time");
    assertThat(
            one(
                    recreate,
                    new Observed.TopicRecreated(
                        Optional.of("A"),
                        Optional.of("A"),
                        Map.of(0, 5L),
                        true,
                        Optional.empty(),
                        Map.of()))
                .tookEffect())
        .as("the same id is the same topic")
        .isFalse();
  }

  @Test
  void aZombieConsumerTookEffectWhenTheFirstWasFrozenAndTheSecondMetTheWarehouse() {
    FaultSpec zombie =
        FaultSpec.of(AT_300_APPLIED, Duration.ofSeconds(10), new Fault.ZombieConsumer());
    Observed.Paused first =
        new Observed.Paused(
            "consumer", OptionalLong.of(10), Optional.of(true), OptionalLong.of(10));
    FaultEffect bit =
        one(
            zombie,
            new Observed.Zombie(first, OptionalLong.of(11), true, "standby: held by another", 0));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence())
        .contains("second consumer (pid 11)")
        .endsWith("standby: held by another");
    assertThat(
            one(
                    zombie,
                    new Observed.Zombie(first, OptionalLong.of(11), false, "it never reported", 0))
                .tookEffect())
        .as(
            "a second consumer that never reported while the first was frozen never met the warehouse")
        .isFalse();
    assertThat(
            one(
                    zombie,
                    new Observed.Zombie(first, OptionalLong.empty(), false, "it never reported", 0))
                .evidence())
        .isEqualTo("the second consumer did not start");
  }

  @Test
  void aDdlTookEffectWhenTheCatalogShowedItAndEventsCameInTheNewShape() {
    FaultSpec ddl = FaultSpec.of(AT_1S, new Fault.Ddl(Fault.DdlChange.ADD_COLUMN));
    String alter = "ALTER TABLE orders ADD COLUMN note text";
    assertThat(one(ddl, new Observed.SchemaChanged(alter, true, 40)).evidence())
        .isEqualTo(alter + " applied; 40 events written in the new shape");
    assertThat(one(ddl, new Observed.SchemaChanged(alter, true, 0)).tookEffect()).isFalse();
    assertThat(one(ddl, new Observed.SchemaChanged(alter, false, 40)).tookEffect()).isFalse();
  }

  @Test
  void aClockSkewTookEffectWhenEventsCarriedAnotherDate() {
    FaultSpec skew =
        FaultSpec.of(
            AT_1S, Duration.ofSeconds(4), new Fault.ClockSkew(Fault.SkewDirection.FORWARD, 1));
    FaultEffect bit = one(skew, new Observed.ClockJumped("writer-1", 3_600_000, 12, 12));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.counts()).containsEntry("events on another date", 12L);
    assertThat(one(skew, new Observed.ClockJumped("writer-1", 3_600_000, 12, 0)).tookEffect())
        .isFalse();
    assertThat(one(skew, new Observed.ClockJumped("writer-1", 3_600_000, 0, 0)).evidence())
        .contains("it committed no event meanwhile");
  }

  @Test
  void aDiskFullTookEffectWhenTheStoreWasFullAndTheConsumerSaidWhy() {
    FaultSpec full =
        FaultSpec.of(AT_1S, Duration.ofSeconds(6), new Fault.DiskFull(Fault.Store.LAKE));
    FaultEffect bit =
        one(full, new Observed.Filled("/w/lake", 64_000_000, 0, Optional.of("No space left")));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence()).endsWith("the consumer reported: No space left");
    assertThat(
            one(full, new Observed.Filled("/w/lake", 64_000_000, 10_000_000, Optional.of("x")))
                .tookEffect())
        .as("10 MB still free")
        .isFalse();
    assertThat(
            one(full, new Observed.Filled("/w/lake", 64_000_000, 0, Optional.empty())).tookEffect())
        .as("full, but the consumer never tried to write")
        .isFalse();
  }

  @Test
  void aSlowCommitTookEffectWhenItHeldATransaction() {
    FaultSpec slow = FaultSpec.of(AT_1S, Duration.ofSeconds(3), new Fault.SlowCommit(1));
    FaultEffect bit =
        one(
            slow,
            new Observed.Held(
                List.of(new Observed.HeldTransaction("writer-2", 345, OptionalLong.of(3001)))));
    assertThat(bit.tookEffect()).isTrue();
    assertThat(bit.evidence()).isEqualTo("writer-2 held outbox id 345 for 3001 ms");
    FaultEffect idle = one(slow, new Observed.Held(List.of()));
    assertThat(idle.tookEffect()).isFalse();
    assertThat(idle.evidence()).isEqualTo("no writer reached a commit while it held");
  }

  @Test
  void dataFaultsTookEffectWhenRecordsWereInjected() {
    FaultSpec poison = FaultSpec.of(AT_1S, new Fault.Poison(6, List.of(PoisonKind.MALFORMED_JSON)));
    assertThat(one(poison, new Observed.Injected(6, 6)).evidence())
        .isEqualTo("6 of 6 poison records published to the topic");
    assertThat(one(poison, new Observed.Injected(0, 6)).tookEffect()).isFalse();
    FaultSpec drift = FaultSpec.of(AT_1S, Duration.ofSeconds(2), new Fault.SchemaDrift(0.5));
    assertThat(one(drift, new Observed.Injected(87, 0)).evidence())
        .isEqualTo("87 events committed with fields the schema does not know");
    assertThat(one(drift, new Observed.Injected(0, 0)).tookEffect()).isFalse();
  }

  @Test
  void evidenceOfAnotherKindIsABugNotAVerdict() {
    assertThatThrownBy(() -> one(PARTITION, new Observed.Sends(1, 1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not fit a partition fault");
  }
}
