package dev.cdcchaos.harness.fault;

import dev.cdcchaos.harness.check.CheckResult;
import dev.cdcchaos.harness.check.RunVerdict;
import dev.cdcchaos.harness.check.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The judge of whether each scheduled fault took effect: a pure function from the schedule and what
 * the harness saw while the run went ({@link FaultTrace}s, the supervisor's {@link Death}s) to one
 * {@link FaultEffect} per fault. A fault proves something only when it changed something, so each
 * kind has its own evidence:
 *
 * <ul>
 *   <li>{@code crash}: the process halted at that point (its halt marker) with an exit status
 *   <li>{@code kill}: a live pid was signalled and was gone afterwards
 *   <li>{@code pause}: a live pid was stopped, then the same pid resumed
 *   <li>{@code restart}: a live process was stopped and came up again
 *   <li>{@code partition}: bytes held back (blackhole) or open connections closed (down)
 *   <li>{@code reset-peer}, {@code limit-data}, {@code slow-close}: connections reset, cut at the
 *       limit, closed slowly
 *   <li>{@code latency}, {@code bandwidth}: bytes actually delayed
 *   <li>{@code duplicate}, {@code reorder}: sends duplicated, records moved
 *   <li>{@code redeliver}: a checkpoint moved back
 *   <li>{@code slow-commit}: a transaction held
 *   <li>{@code poison}, {@code schema-drift}: records injected
 * </ul>
 *
 * A fault that never fired did not take effect. Missing evidence (a proxy without counters, a state
 * that cannot be read) never counts as proof: the fault is then not proven and says why.
 */
public final class FaultEffects {

  /** The name of the verdict line faults add to a run's results. */
  public static final String CHECK = "faults-took-effect";

  private FaultEffects() {}

  /**
   * One effect per fault of {@code schedule}, in schedule order.
   *
   * @param traces the faults that fired ({@link FaultTrace#index} into {@code schedule})
   * @param deaths every unplanned death of a pipeline process, for crash faults; each death proves
   *     at most one crash
   */
  public static List<FaultEffect> judge(
      List<FaultSpec> schedule, List<FaultTrace> traces, List<Death> deaths) {
    Map<Integer, FaultTrace> byIndex = new LinkedHashMap<>();
    for (FaultTrace t : traces) {
      if (t.index() < 0 || t.index() >= schedule.size()) {
        throw new IllegalArgumentException(
            "trace of fault " + t.index() + " beyond the schedule of " + schedule.size());
      }
      byIndex.put(t.index(), t);
    }
    Map<Integer, Optional<Death>> crashes = assignDeaths(byIndex, deaths);
    List<FaultEffect> effects = new ArrayList<>();
    for (int i = 0; i < schedule.size(); i++) {
      FaultSpec spec = schedule.get(i);
      FaultTrace trace = byIndex.get(i);
      Judged j =
          trace == null
              ? new Judged(
                  false,
                  "never fired: its trigger (" + trigger(spec.at()) + ") was not reached",
                  Map.of())
              : judge(spec.fault(), trace, crashes.getOrDefault(i, Optional.empty()));
      effects.add(
          new FaultEffect(
              i,
              describe(spec),
              spec.fault().kind().key(),
              target(spec.fault()),
              spec.fault() instanceof Fault.Crash c ? c.point() : null,
              spec.optional(),
              trace != null,
              j.tookEffect,
              j.evidence,
              j.counts));
    }
    return effects;
  }

  /** Valid when every fault that is not optional took effect, else unknown. */
  public static Verdict verdict(List<FaultEffect> effects) {
    return effects.stream().anyMatch(FaultEffect::spoilsTheRun) ? Verdict.UNKNOWN : Verdict.VALID;
  }

  /**
   * The result line of the faults: valid when each took effect (or is optional), unknown naming
   * each fault that did not.
   */
  public static CheckResult result(List<FaultEffect> effects) {
    List<FaultEffect> spoiling = effects.stream().filter(FaultEffect::spoilsTheRun).toList();
    long took = effects.stream().filter(FaultEffect::tookEffect).count();
    long optionalMissed = effects.stream().filter(e -> !e.tookEffect() && e.optional()).count();
    List<String> evidence = new ArrayList<>();
    for (FaultEffect e : effects) {
      evidence.add(
          "#"
              + (e.index() + 1)
              + " "
              + e.fault()
              + ": "
              + (e.tookEffect() ? "took effect" : "did NOT take effect")
              + (e.optional() ? " (optional)" : "")
              + " - "
              + e.evidence());
    }
    String summary;
    if (spoiling.isEmpty()) {
      summary =
          took
              + " of "
              + effects.size()
              + " faults took effect"
              + (optionalMissed > 0 ? " (" + optionalMissed + " optional did not)" : "");
    } else {
      summary =
          spoiling.size()
              + " of "
              + effects.size()
              + " faults did not take effect, so the run proves nothing about them: "
              + spoiling.stream()
                  .map(e -> "#" + (e.index() + 1) + " " + e.fault() + " (" + e.evidence() + ")")
                  .collect(Collectors.joining("; "));
    }
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("faults", (long) effects.size());
    counts.put("took effect", took);
    counts.put("did not take effect", effects.size() - took);
    return new CheckResult(CHECK, verdict(effects), summary, evidence, counts);
  }

  /**
   * {@code checks} with the faults' result added: the overall verdict becomes unknown when a fault
   * that is not optional did not take effect (an invalid verdict stays invalid: a broken invariant
   * is proof whatever the faults did). Without faults, {@code checks} unchanged.
   */
  public static RunVerdict combine(RunVerdict checks, List<FaultEffect> effects) {
    if (effects.isEmpty()) {
      return checks;
    }
    CheckResult faults = result(effects);
    List<CheckResult> results = new ArrayList<>(checks.results());
    results.add(faults);
    // worst first, ties in the order given (List.sort is stable)
    results.sort(Comparator.comparing(CheckResult::verdict).reversed());
    return new RunVerdict(checks.overall().and(faults.verdict()), results);
  }

  // ------------------------------------------------------------------------------- per kind

  private record Judged(boolean tookEffect, String evidence, Map<String, Long> counts) {}

  private static Judged judge(Fault fault, FaultTrace trace, Optional<Death> death) {
    Observed o = trace.observed();
    return switch (fault.kind()) {
      case PARTITION, LATENCY, BANDWIDTH, RESET_PEER, SLOW_CLOSE, LIMIT_DATA, LONG_OUTAGE -> {
        if (o instanceof Observed.InTransactions in) {
          yield insideTransactions((Fault.Network) fault, in, trace);
        }
        Observed.OnLink link = as(Observed.OnLink.class, o, fault);
        Fault.Network n = (Fault.Network) fault;
        if (link.effect().isEmpty()) {
          yield new Judged(
              false, "unknown: the proxy reports no counters, nothing proves it", Map.of());
        }
        Judged j = network(n, link.effect().get(), window(trace));
        yield fault instanceof Fault.LongOutage outage ? outlasted(outage, j, trace) : j;
      }
      case KILL -> {
        Observed.Signalled s = as(Observed.Signalled.class, o, fault);
        yield killed(named(fault, s.node()), s);
      }
      case PAUSE -> {
        Observed.Paused p = as(Observed.Paused.class, o, fault);
        yield paused(named(fault, p.node()), p, trace);
      }
      case RESTART -> {
        Observed.Restarted r = as(Observed.Restarted.class, o, fault);
        yield restarted(named(fault, r.node()), r);
      }
      case CRASH -> crashed(as(Observed.Armed.class, o, fault), trace, death);
      case DUPLICATE -> {
        Observed.Sends s = as(Observed.Sends.class, o, fault);
        yield s.duplicated() > 0
            ? new Judged(
                true,
                s.duplicated() + " sends duplicated in " + s.batches() + " batches",
                counts("sends duplicated", s.duplicated(), "batches", s.batches()))
            : new Judged(
                false,
                "no send was duplicated ("
                    + (s.batches() == 0
                        ? "the publishers sent nothing while it held"
                        : s.batches() + " batches, none drawn")
                    + ")",
                counts("sends duplicated", 0, "batches", s.batches()));
      }
      case REORDER -> {
        Observed.Sends s = as(Observed.Sends.class, o, fault);
        yield s.moved() > 0
            ? new Judged(
                true,
                s.moved() + " records sent out of claim order in " + s.batches() + " batches",
                counts("records moved", s.moved(), "batches", s.batches()))
            : new Judged(
                false,
                "no record was sent out of claim order ("
                    + (s.batches() == 0
                        ? "the publishers sent nothing while it held"
                        : s.batches() + " batches, each kept its order")
                    + ")",
                counts("records moved", 0, "batches", s.batches()));
      }
      case REDELIVER -> rewound(as(Observed.Rewound.class, o, fault));
      case SLOW_COMMIT -> held(as(Observed.Held.class, o, fault));
      case POISON -> {
        Observed.Injected in = as(Observed.Injected.class, o, fault);
        yield in.count() > 0
            ? new Judged(
                true,
                in.count() + " of " + in.asked() + " poison records published to the topic",
                counts("records injected", in.count(), "asked", in.asked()))
            : new Judged(
                false,
                "no poison record could be published",
                counts("records injected", 0, "asked", in.asked()));
      }
      case SCHEMA_DRIFT -> {
        Observed.Injected in = as(Observed.Injected.class, o, fault);
        yield in.count() > 0
            ? new Judged(
                true,
                in.count() + " events committed with fields the schema does not know",
                counts("events drifted", in.count()))
            : new Judged(
                false,
                "no event was committed while it held (the writers wrote nothing then)",
                counts("events drifted", 0));
      }
      case RESET_OFFSETS -> offsetsReset(as(Observed.OffsetsReset.class, o, fault));
      case RECREATE_TOPIC -> recreated(as(Observed.TopicRecreated.class, o, fault));
      case ZOMBIE_CONSUMER -> zombie(as(Observed.Zombie.class, o, fault), trace);
      case DDL -> schemaChanged(as(Observed.SchemaChanged.class, o, fault));
      case CLOCK_SKEW -> clockJumped(as(Observed.ClockJumped.class, o, fault));
      case DISK_FULL -> filled(as(Observed.Filled.class, o, fault));
      case LONG_PAUSE -> frozen(as(Observed.FrozenWhileOthersRan.class, o, fault), trace);
      case UNCLEAN_LEADER_ELECTION -> truncated(as(Observed.Truncated.class, o, fault));
    };
  }

  private static <T extends Observed> T as(Class<T> type, Observed o, Fault fault) {
    if (!type.isInstance(o)) {
      throw new IllegalArgumentException(
          "evidence "
              + o.getClass().getSimpleName()
              + " does not fit a "
              + fault.kind().key()
              + " fault");
    }
    return type.cast(o);
  }

  /** A long outage took effect when it held bytes back for longer than the clients' timeout. */
  private static Judged outlasted(Fault.LongOutage outage, Judged cut, FaultTrace trace) {
    if (!cut.tookEffect) {
      return cut;
    }
    Fault.ClientTimeout t = Fault.longestClientTimeout(outage.link());
    long heldMs = trace.healedMs().map(h -> h - trace.startedMs()).orElse(0L);
    Map<String, Long> counts = new LinkedHashMap<>(cut.counts);
    counts.put("outage ms", heldMs);
    counts.put("longest client timeout ms", t.millis());
    if (heldMs <= t.millis()) {
      return new Judged(
          false,
          "the cut lasted "
              + heldMs
              + " ms, not longer than "
              + t.what()
              + " ("
              + t.millis()
              + " ms): "
              + cut.evidence,
          counts);
    }
    return new Judged(
        true,
        cut.evidence + "; the cut outlasted " + t.what() + " (" + t.millis() + " ms)",
        counts);
  }

  private static Judged offsetsReset(Observed.OffsetsReset r) {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> moves = new ArrayList<>();
    long reread = 0;
    long skipped = 0;
    for (Integer p : new TreeSet<>(r.resetTo().keySet())) {
      long to = r.resetTo().get(p);
      long checkpoint = r.checkpoints().getOrDefault(p, 0L);
      String from = r.committed().containsKey(p) ? Long.toString(r.committed().get(p)) : "none";
      if (to < checkpoint) {
        reread += checkpoint - to;
        moves.add(
            "partition "
                + p
                + " "
                + from
                + " -> "
                + to
                + " ("
                + (checkpoint - to)
                + " below the"
                + " checkpoint "
                + checkpoint
                + ")");
      } else if (to > checkpoint) {
        skipped += to - checkpoint;
        moves.add(
            "partition "
                + p
                + " "
                + from
                + " -> "
                + to
                + " ("
                + (to - checkpoint)
                + " past the"
                + " checkpoint "
                + checkpoint
                + ")");
      }
    }
    counts.put("partitions moved", (long) moves.size());
    counts.put("records below the checkpoints", reread);
    counts.put("records past the checkpoints", skipped);
    if (moves.isEmpty()) {
      return new Judged(
          false,
          r.resetTo().isEmpty()
              ? "no partition to reset"
              : "every partition was reset to the consumer's own checkpoint: nothing to re-read"
                  + " or skip",
          counts);
    }
    if (r.answer().isEmpty()) {
      return new Judged(
          false,
          "group offsets moved ("
              + String.join(", ", moves)
              + "), but the consumer never said it met the reset (no offsetReset in its status"
              + " after its restart)",
          counts);
    }
    return new Judged(
        true,
        "group offsets moved: "
            + String.join(", ", moves)
            + "; the consumer answered: "
            + r.answer().get(),
        counts);
  }

  private static Judged recreated(Observed.TopicRecreated t) {
    Map<String, Long> counts = new LinkedHashMap<>();
    long held = t.oldEnds().values().stream().mapToLong(Long::longValue).sum();
    long got = t.newEnds().values().stream().mapToLong(Long::longValue).sum();
    counts.put("records in the old topic", held);
    counts.put("records in the new topic", got);
    if (!t.consumerCaughtUp()) {
      return new Judged(
          false,
          "the consumer did not read the whole topic in time, so it was not deleted",
          counts);
    }
    if (t.newId().isEmpty()) {
      return new Judged(false, "the topic did not come back", counts);
    }
    if (t.oldId().isPresent() && t.oldId().equals(t.newId())) {
      return new Judged(false, "the topic id did not change: it was not recreated", counts);
    }
    if (held == 0) {
      return new Judged(
          false, "the old topic held no record: offsets had nothing to restart from", counts);
    }
    return new Judged(
        true,
        "topic "
            + t.oldId().orElse("?")
            + " with "
            + held
            + " records deleted after the consumer read all of it, created again as "
            + t.newId().get()
            + " (offsets restart at 0), which got "
            + got
            + " records"
            + t.answer()
                .map(a -> "; the consumer answered: " + a)
                .orElse("; the consumer said nothing about it"),
        counts);
  }

  private static Judged zombie(Observed.Zombie z, FaultTrace trace) {
    Judged pause = paused("consumer", z.first(), trace);
    Map<String, Long> counts = new LinkedHashMap<>(pause.counts);
    z.zombiePid().ifPresent(p -> counts.put("zombie pid", p));
    counts.put("zombie applied", z.zombieApplied());
    if (!pause.tookEffect) {
      return new Judged(false, "the first consumer was not paused: " + pause.evidence, counts);
    }
    if (z.zombiePid().isEmpty()) {
      return new Judged(false, "the second consumer did not start", counts);
    }
    if (!z.zombieReported()) {
      return new Judged(
          false,
          "the second consumer (pid "
              + z.zombiePid().getAsLong()
              + ") never reported while the first was paused, so it never met the warehouse",
          counts);
    }
    return new Judged(
        true,
        pause.evidence
            + "; meanwhile a second consumer (pid "
            + z.zombiePid().getAsLong()
            + ") ran against the same warehouse: "
            + z.zombieState(),
        counts);
  }

  private static Judged schemaChanged(Observed.SchemaChanged c) {
    Map<String, Long> counts = counts("events in the new shape", c.eventsAfter());
    if (!c.applied()) {
      return new Judged(false, "the catalog does not show the change: " + c.statement(), counts);
    }
    if (c.eventsAfter() == 0) {
      return new Judged(
          false,
          c.statement() + " applied, but no event was written in the new shape afterwards",
          counts);
    }
    return new Judged(
        true,
        c.statement() + " applied; " + c.eventsAfter() + " events written in the new shape",
        counts);
  }

  private static Judged clockJumped(Observed.ClockJumped c) {
    Map<String, Long> counts =
        counts(
            "skew ms",
            c.skewMs(),
            "events",
            c.events(),
            "events on another date",
            c.eventsOnAnotherDate());
    String jump =
        c.writer()
            + "'s clock moved "
            + (c.skewMs() >= 0 ? "+" : "-")
            + duration(Duration.ofMillis(Math.abs(c.skewMs())));
    if (c.eventsOnAnotherDate() == 0) {
      return new Judged(
          false,
          jump
              + ", but "
              + (c.events() == 0
                  ? "it committed no event meanwhile"
                  : "none of its " + c.events() + " events carries another date"),
          counts);
    }
    return new Judged(
        true,
        jump
            + ": "
            + c.eventsOnAnotherDate()
            + " of its "
            + c.events()
            + " events carry another UTC date than the wall clock's",
        counts);
  }

  private static Judged filled(Observed.Filled f) {
    Map<String, Long> counts =
        counts("bytes free before", f.freeBefore(), "bytes free while full", f.freeWhileFull());
    if (f.freeWhileFull() > FULL_ENOUGH) {
      return new Judged(
          false,
          f.dir() + " still had " + f.freeWhileFull() + " bytes free after the fill",
          counts);
    }
    if (f.consumerSaw().isEmpty()) {
      return new Judged(
          false,
          f.dir() + " was full, but the consumer reported no failed write (did it write at all?)",
          counts);
    }
    return new Judged(
        true,
        f.dir()
            + " filled ("
            + f.freeBefore()
            + " -> "
            + f.freeWhileFull()
            + " bytes free); the consumer reported: "
            + f.consumerSaw().get(),
        counts);
  }

  /** At most this many bytes may be free for a store to count as full. */
  public static final long FULL_ENOUGH = 256 * 1024;

  private static Judged frozen(Observed.FrozenWhileOthersRan f, FaultTrace trace) {
    Judged pause = paused(f.pause().node(), f.pause(), trace);
    Map<String, Long> counts = new LinkedHashMap<>(pause.counts);
    counts.put("published by the others meanwhile", f.othersPublished());
    long pausedMs = counts.getOrDefault("paused ms", 0L);
    if (!pause.tookEffect) {
      return pause;
    }
    if (pausedMs <= Fault.PUBLISHER_LEASES.millis()) {
      return new Judged(
          false,
          "frozen "
              + pausedMs
              + " ms, not longer than "
              + Fault.PUBLISHER_LEASES.what()
              + " ("
              + Fault.PUBLISHER_LEASES.millis()
              + " ms)",
          counts);
    }
    if (f.othersPublished() == 0) {
      return new Judged(
          false, pause.evidence + ", but no other publisher published meanwhile", counts);
    }
    return new Judged(
        true,
        pause.evidence
            + ", longer than "
            + Fault.PUBLISHER_LEASES.what()
            + "; the other publishers published "
            + f.othersPublished()
            + " events meanwhile",
        counts);
  }

  private static Judged truncated(Observed.Truncated t) {
    Map<String, Long> counts =
        counts(
            "end before",
            t.endBefore(),
            "end after",
            t.endAfter(),
            "records truncated",
            Math.max(0, t.endBefore() - t.endAfter()));
    if (t.leaderAfter().isEmpty()) {
      return new Judged(
          false,
          "no unclean election of partition "
              + t.partition()
              + t.note().map(n -> ": " + n).orElse(""),
          counts);
    }
    if (t.endAfter() >= t.endBefore()) {
      return new Judged(
          false,
          "partition "
              + t.partition()
              + " moved from "
              + t.leaderBefore()
              + " to "
              + t.leaderAfter().get()
              + " without losing a record (end "
              + t.endBefore()
              + " -> "
              + t.endAfter()
              + ")",
          counts);
    }
    return new Judged(
        true,
        "partition "
            + t.partition()
            + ": "
            + t.leaderBefore()
            + " took records alone up to offset "
            + t.endBefore()
            + " and was killed; "
            + t.leaderAfter().get()
            + " was elected leader uncleanly with the log ending at "
            + t.endAfter()
            + ", so "
            + (t.endBefore() - t.endAfter())
            + " acknowledged records were truncated",
        counts);
  }

  /**
   * A cut timed to land inside open transactions took effect when it took effect on the link and at
   * least one writer was held inside its transaction when it began.
   */
  private static Judged insideTransactions(
      Fault.Network fault, Observed.InTransactions in, FaultTrace trace) {
    if (in.link().effect().isEmpty()) {
      return new Judged(
          false, "unknown: the proxy reports no counters, nothing proves it", Map.of());
    }
    Judged j = network(fault, in.link().effect().get(), window(trace));
    Map<String, Long> counts = new LinkedHashMap<>(j.counts());
    counts.put("writers inside a transaction", (long) in.held().size());
    if (in.held().isEmpty()) {
      return new Judged(
          false,
          "no writer reached "
              + in.point()
              + " (inside its transaction) before the cut; "
              + j.evidence(),
          counts);
    }
    return new Judged(
        j.tookEffect(),
        String.join(", ", in.held())
            + " held inside "
            + (in.held().size() == 1 ? "its transaction" : "their transactions")
            + " at "
            + in.point()
            + " when the cut began; "
            + j.evidence(),
        counts);
  }

  private static Judged network(Fault.Network fault, LinkEffect e, String window) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("bytes crossing", e.bytes());
    counts.put("connections opened", e.connectionsOpened());
    counts.put("connections hit", e.connectionsHit());
    String link = fault.link().cliName();
    String traffic =
        e.bytes() == 0 && e.connectionsOpened() == 0
            ? "no data tried to cross " + link + window
            : e.bytes() + " bytes tried to cross " + link + window;
    boolean down = fault instanceof Fault.Partition p && p.mode() == Fault.PartitionMode.DOWN;
    return switch (fault.kind()) {
      case PARTITION, LONG_OUTAGE ->
          down ? linkDown(e, window, traffic, counts) : heldBack(e, window, traffic, counts);
      case LATENCY, BANDWIDTH -> {
        counts.put("bytes delayed", e.bytesDelayed());
        yield e.bytesDelayed() > 0
            ? new Judged(
                true,
                e.bytesDelayed()
                    + " bytes delayed on "
                    + count(e.connectionsHit(), "connection")
                    + window,
                counts)
            : new Judged(false, "no byte was delayed: " + traffic, counts);
      }
      case RESET_PEER -> {
        counts.put("connections reset", e.connectionsReset());
        yield e.connectionsReset() > 0
            ? new Judged(
                true, count(e.connectionsReset(), "connection") + " reset" + window, counts)
            : new Judged(false, "no connection was reset: " + traffic, counts);
      }
      case LIMIT_DATA -> {
        counts.put("connections cut", e.connectionsCut());
        counts.put("bytes dropped", e.bytesDropped());
        yield e.connectionsCut() > 0
            ? new Judged(
                true,
                count(e.connectionsCut(), "connection")
                    + " cut at the data limit ("
                    + e.bytesDropped()
                    + " bytes beyond it dropped)"
                    + window,
                counts)
            : new Judged(false, "no connection reached the data limit: " + traffic, counts);
      }
      case SLOW_CLOSE -> {
        counts.put("closes delayed", e.closesDelayed());
        yield e.closesDelayed() > 0
            ? new Judged(
                true, count(e.closesDelayed(), "connection close") + " delayed" + window, counts)
            : new Judged(false, "no connection closed while it held: " + traffic, counts);
      }
      case KILL,
          PAUSE,
          RESTART,
          CRASH,
          DUPLICATE,
          REORDER,
          REDELIVER,
          SCHEMA_DRIFT,
          SLOW_COMMIT,
          POISON,
          RESET_OFFSETS,
          RECREATE_TOPIC,
          ZOMBIE_CONSUMER,
          DDL,
          CLOCK_SKEW,
          DISK_FULL,
          LONG_PAUSE,
          UNCLEAN_LEADER_ELECTION ->
          throw new IllegalArgumentException(fault.kind().key() + " is not a network fault");
    };
  }

  private static Judged linkDown(
      LinkEffect e, String window, String traffic, Map<String, Long> counts) {
    counts.put("connections cut", e.cutByDisable());
    return e.cutByDisable() > 0
        ? new Judged(
            true,
            count(e.cutByDisable(), "open connection") + " closed when the link went down" + window,
            counts)
        : new Judged(
            false,
            "no connection was open when the link went down (refused connections are not"
                + " counted); "
                + traffic,
            counts);
  }

  private static Judged heldBack(
      LinkEffect e, String window, String traffic, Map<String, Long> counts) {
    counts.put("bytes dropped", e.bytesDropped());
    counts.put("connections cut", e.connectionsCut());
    return e.bytesDropped() > 0
        ? new Judged(
            true,
            e.bytesDropped()
                + " bytes held back on "
                + count(e.connectionsHit(), "connection")
                + window
                + (e.connectionsCut() > 0
                    ? ", " + e.connectionsCut() + " of them closed when it healed"
                    : ""),
            counts)
        : new Judged(false, "nothing was held back: " + traffic, counts);
  }

  private static Judged killed(String target, Observed.Signalled s) {
    Map<String, Long> counts = pidCounts("pid", s.pid());
    if (s.pid().isEmpty() || !s.aliveBefore()) {
      return new Judged(false, target + " was not running when the kill came", counts);
    }
    if (!s.goneAfter()) {
      return new Judged(
          false, "SIGKILL to pid " + s.pid().getAsLong() + " but it was still alive", counts);
    }
    return new Judged(
        true, "SIGKILL to live pid " + s.pid().getAsLong() + " (" + target + "), gone", counts);
  }

  private static Judged paused(String target, Observed.Paused p, FaultTrace trace) {
    Map<String, Long> counts = pidCounts("pid", p.pid());
    long pausedMs = trace.healedMs().map(h -> Math.max(0, h - trace.startedMs())).orElse(0L);
    counts.put("paused ms", pausedMs);
    if (p.pid().isEmpty()) {
      return new Judged(false, target + " was not running when the pause came", counts);
    }
    long pid = p.pid().getAsLong();
    if (p.stopped().isPresent() && !p.stopped().get()) {
      return new Judged(false, "SIGSTOP to pid " + pid + " but it was not seen stopped", counts);
    }
    if (p.pidAtResume().isEmpty() || p.pidAtResume().getAsLong() != pid) {
      return new Judged(
          false,
          "SIGSTOP to pid "
              + pid
              + " but "
              + (p.pidAtResume().isEmpty()
                  ? "nothing was running to resume"
                  : "pid " + p.pidAtResume().getAsLong() + " was running")
              + " when it healed",
          counts);
    }
    return new Judged(
        true,
        "SIGSTOP to live pid "
            + pid
            + " ("
            + target
            + (p.stopped().isPresent() ? ", seen stopped" : ", stopped state not readable here")
            + "), SIGCONT to the same pid "
            + pausedMs
            + " ms later",
        counts);
  }

  private static Judged restarted(String target, Observed.Restarted r) {
    Map<String, Long> counts = pidCounts("pid before", r.pidBefore());
    counts.putAll(pidCounts("pid after", r.pidAfter()));
    if (r.pidBefore().isEmpty()) {
      return new Judged(false, target + " was not running when the restart came", counts);
    }
    if (!r.downAfterStop()) {
      return new Judged(
          false, "pid " + r.pidBefore().getAsLong() + " was still running after the stop", counts);
    }
    if (r.pidAfter().isEmpty()) {
      return new Judged(
          false,
          "pid " + r.pidBefore().getAsLong() + " stopped, but " + target + " did not come up again",
          counts);
    }
    return new Judged(
        true,
        "stopped live pid "
            + r.pidBefore().getAsLong()
            + " ("
            + target
            + "), started again as pid "
            + r.pidAfter().getAsLong(),
        counts);
  }

  private static Judged crashed(Observed.Armed a, FaultTrace trace, Optional<Death> death) {
    if (death.isEmpty()) {
      return new Judged(
          false, a.process() + " never reached " + a.point() + " while it was armed", Map.of());
    }
    Death d = death.get();
    Map<String, Long> counts = new LinkedHashMap<>();
    d.exitCode().ifPresent(code -> counts.put("exit code", (long) code));
    counts.put("ms after arming", Math.max(0, d.atMs() - trace.startedMs()));
    String exit = d.exitCode().isPresent() ? "exit " + d.exitCode().getAsInt() : "exit unknown";
    if (d.haltedAt().isEmpty()) {
      return new Judged(
          false,
          a.process() + " died (" + exit + ") without reaching " + a.point() + "; that disarmed it",
          counts);
    }
    if (!d.haltedAt().get().equals(a.point())) {
      return new Judged(
          false,
          a.process() + " halted at " + d.haltedAt().get() + ", not at " + a.point(),
          counts);
    }
    return new Judged(
        true,
        a.process()
            + " halted at "
            + a.point()
            + " ("
            + exit
            + ", "
            + counts.get("ms after arming")
            + " ms after it was armed)",
        counts);
  }

  private static Judged rewound(Observed.Rewound r) {
    Map<String, Long> counts = new LinkedHashMap<>();
    List<String> moves = new ArrayList<>();
    long records = 0;
    for (Integer p : new TreeSet<>(r.from().keySet())) {
      long from = r.from().get(p);
      long to = r.to().getOrDefault(p, from);
      if (to < from) {
        moves.add("partition " + p + " " + from + " -> " + to);
        records += from - to;
      }
    }
    counts.put("partitions rewound", (long) moves.size());
    counts.put("records to read again", records);
    if (moves.isEmpty()) {
      return new Judged(
          false,
          r.from().isEmpty()
              ? "nothing to rewind: the consumer had no checkpoints yet"
              : "no checkpoint moved back (all at offset 0 already)",
          counts);
    }
    return new Judged(true, "checkpoints moved back: " + String.join(", ", moves), counts);
  }

  private static Judged held(Observed.Held h) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("transactions held", (long) h.transactions().size());
    if (h.transactions().isEmpty()) {
      return new Judged(false, "no writer reached a commit while it held", counts);
    }
    List<String> lines = new ArrayList<>();
    long longest = 0;
    for (Observed.HeldTransaction t : h.transactions()) {
      lines.add(
          t.writer()
              + " held outbox id "
              + t.outboxId()
              + (t.heldMs().isPresent()
                  ? " for " + t.heldMs().getAsLong() + " ms"
                  : " until the run stopped"));
      longest = Math.max(longest, t.heldMs().orElse(0));
    }
    counts.put("longest hold ms", longest);
    return new Judged(true, String.join(", ", lines), counts);
  }

  // ------------------------------------------------------------------------------- helpers

  /**
   * Gives each crash the first death of its process at or after it was armed, each death to one
   * crash only (in the order the crashes were armed): a process that died twice proves two crashes,
   * not one crash twice.
   */
  private static Map<Integer, Optional<Death>> assignDeaths(
      Map<Integer, FaultTrace> traces, List<Death> deaths) {
    List<FaultTrace> crashes =
        traces.values().stream()
            .filter(t -> t.observed() instanceof Observed.Armed)
            .sorted(
                Comparator.comparingLong(FaultTrace::startedMs).thenComparing(FaultTrace::index))
            .toList();
    List<Death> ordered = deaths.stream().sorted(Comparator.comparingLong(Death::atMs)).toList();
    Set<Integer> used = new HashSet<>();
    Map<Integer, Optional<Death>> result = new LinkedHashMap<>();
    for (FaultTrace t : crashes) {
      Observed.Armed armed = (Observed.Armed) t.observed();
      Optional<Death> match = Optional.empty();
      for (int i = 0; i < ordered.size(); i++) {
        Death d = ordered.get(i);
        if (!used.contains(i) && d.process().equals(armed.process()) && d.atMs() >= t.startedMs()) {
          used.add(i);
          match = Optional.of(d);
          break;
        }
      }
      result.put(t.index(), match);
    }
    return result;
  }

  /** The node a process fault hit, and the target it was resolved from when they differ. */
  private static String named(Fault fault, String node) {
    String target = target(fault);
    return node == null || node.equals(target) ? target : node + ", the " + target;
  }

  private static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static Map<String, Long> pidCounts(String key, OptionalLong pid) {
    Map<String, Long> counts = new LinkedHashMap<>();
    pid.ifPresent(p -> counts.put(key, p));
    return counts;
  }

  private static Map<String, Long> counts(Object... keysAndValues) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], ((Number) keysAndValues[i + 1]).longValue());
    }
    return m;
  }

  private static String window(FaultTrace trace) {
    return trace
        .healedMs()
        .map(h -> " in the " + Math.max(0, h - trace.startedMs()) + " ms from injecting to healing")
        .orElse("");
  }

  /** The fault in one line: kind, target, parameters, trigger and window. */
  public static String describe(FaultSpec spec) {
    Fault f = spec.fault();
    String what =
        f.kind().key()
            + " "
            + (f instanceof Fault.Crash c ? c.process().cliName() + " at " + c.point() : target(f));
    String window = spec.duration().map(d -> " for " + duration(d)).orElse("");
    return what + window + " (at " + trigger(spec.at()) + ")";
  }

  /** What a fault hits: its link, its process, the publishers or the workload. */
  public static String target(Fault f) {
    return switch (f.kind()) {
      case PARTITION, LATENCY, BANDWIDTH, RESET_PEER, SLOW_CLOSE, LIMIT_DATA, LONG_OUTAGE ->
          ((Fault.Network) f).link().cliName();
      case KILL, PAUSE, RESTART -> ((Fault.OnProcess) f).target().cliName();
      case CRASH -> ((Fault.Crash) f).process().cliName();
      case DUPLICATE -> "publishers, fraction " + ((Fault.Duplicate) f).fraction();
      case REORDER -> "publishers, window " + ((Fault.Reorder) f).window();
      case REDELIVER ->
          "consumer, "
              + (((Fault.Redeliver) f).rewind() instanceof Fault.Rewind.By by
                  ? "back " + by.records() + " records"
                  : "from offset 0");
      case SCHEMA_DRIFT -> "writers, fraction " + ((Fault.SchemaDrift) f).fraction();
      case SLOW_COMMIT -> {
        int w = ((Fault.SlowCommit) f).writers();
        yield w == 1 ? "1 writer" : w + " writers";
      }
      case POISON -> ((Fault.Poison) f).count() + " records";
      case RESET_OFFSETS -> {
        Fault.OffsetReset to = ((Fault.ResetOffsets) f).to();
        yield "consumer group, to "
            + (to instanceof Fault.OffsetReset.Ago ago
                ? duration(ago.ago()) + " ago"
                : to instanceof Fault.OffsetReset.Latest ? "latest" : "earliest");
      }
      case RECREATE_TOPIC -> "topic, drained";
      case ZOMBIE_CONSUMER -> "consumer and a second one";
      case DDL -> "source, " + ((Fault.Ddl) f).change().cliName();
      case CLOCK_SKEW -> {
        Fault.ClockSkew c = (Fault.ClockSkew) f;
        yield "writer-" + c.writer() + ", " + c.direction().cliName();
      }
      case DISK_FULL -> ((Fault.DiskFull) f).store().cliName();
      case LONG_PAUSE -> ((Fault.LongPause) f).target().cliName();
      case UNCLEAN_LEADER_ELECTION -> "partition " + ((Fault.UncleanLeaderElection) f).partition();
    };
  }

  private static String trigger(Trigger t) {
    if (t instanceof Trigger.After a) {
      return duration(a.offset());
    }
    Trigger.Progress p = (Trigger.Progress) t;
    return p.counter().key() + " " + p.count();
  }

  private static String duration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
