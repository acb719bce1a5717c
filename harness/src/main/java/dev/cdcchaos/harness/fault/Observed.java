package dev.cdcchaos.harness.fault;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the harness saw of one fault that fired, gathered while the run went (when it started, when
 * it healed, at the end of the run): the input {@link FaultEffects#judge} turns into a verdict on
 * whether the fault took effect. One record per kind of evidence; values only, so the judge is
 * tested on hand-built observations without servers.
 */
public sealed interface Observed
    permits Observed.OnLink,
        Observed.InTransactions,
        Observed.Signalled,
        Observed.Paused,
        Observed.Restarted,
        Observed.Armed,
        Observed.Sends,
        Observed.Rewound,
        Observed.Held,
        Observed.Injected,
        Observed.OffsetsReset,
        Observed.TopicRecreated,
        Observed.Zombie,
        Observed.SchemaChanged,
        Observed.ClockJumped,
        Observed.Filled,
        Observed.FrozenWhileOthersRan,
        Observed.Truncated {

  /**
   * A network fault: what the proxies of its link did while it held, or empty when the proxy
   * reports no counters (real Toxiproxy).
   */
  record OnLink(Optional<LinkEffect> effect) implements Observed {
    public OnLink {
      Objects.requireNonNull(effect, "effect");
    }
  }

  /**
   * A partition of {@code writer->postgres} timed to land inside open transactions: the writer
   * processes held at {@code point} (inside their transactions) when the cut began, and what the
   * link's proxies did.
   *
   * @param held the writers that journaled the hold before the cut ({@code writer-0} ..), empty
   *     when none reached the point in time
   */
  record InTransactions(OnLink link, String point, List<String> held) implements Observed {
    public InTransactions {
      Objects.requireNonNull(link, "link");
      Objects.requireNonNull(point, "point");
      held = List.copyOf(held);
    }
  }

  /**
   * A kill: the pid signalled, whether it was alive then and whether it was gone afterwards.
   *
   * @param node the node signalled ({@code kafka-2} for a {@code kafka-leader} fault)
   * @param pid the main process id when the kill came; empty when nothing was running
   */
  record Signalled(String node, OptionalLong pid, boolean aliveBefore, boolean goneAfter)
      implements Observed {}

  /**
   * A pause and its resume.
   *
   * @param node the node paused ({@code kafka-2} for a {@code kafka-leader} fault)
   * @param pid the main process id when SIGSTOP came; empty when nothing was running
   * @param stopped whether the process was seen stopped (state {@code T} in {@code /proc}) after
   *     SIGSTOP; empty where that cannot be read
   * @param pidAtResume the main process id when SIGCONT came; empty when the pause never healed or
   *     nothing was running
   */
  record Paused(String node, OptionalLong pid, Optional<Boolean> stopped, OptionalLong pidAtResume)
      implements Observed {}

  /**
   * A restart: a clean stop, then a start.
   *
   * @param node the node restarted ({@code kafka-2} for a {@code kafka-leader} fault)
   * @param pidBefore the main process id before the stop; empty when nothing was running
   * @param downAfterStop whether the process was gone after the stop
   * @param pidAfter the main process id after the start; empty when it did not come up or the start
   *     never came
   */
  record Restarted(
      String node, OptionalLong pidBefore, boolean downAfterStop, OptionalLong pidAfter)
      implements Observed {}

  /**
   * A crash point armed in {@code process}; whether the process halted there is read from the
   * {@link Death}s of the run.
   */
  record Armed(String process, String point) implements Observed {}

  /**
   * A delivery fault: what the publishers' send hooks changed from its start until the next fault
   * of its kind started (or the run ended), summed over every publisher and every life of each.
   *
   * @param duplicated sends added as second copies
   * @param moved records sent at another position than their claim position
   * @param batches batches planned while a delivery fault was on
   */
  record Sends(long duplicated, long moved, long batches) implements Observed {}

  /**
   * A redelivery: the consumer's checkpoints (next offset per partition) before and after the
   * rewind.
   */
  record Rewound(Map<Integer, Long> from, Map<Integer, Long> to) implements Observed {
    public Rewound {
      from = Map.copyOf(from);
      to = Map.copyOf(to);
    }
  }

  /** A slow commit: the transactions it held open. */
  record Held(List<HeldTransaction> transactions) implements Observed {
    public Held {
      transactions = List.copyOf(transactions);
    }
  }

  /**
   * One transaction a slow commit held.
   *
   * @param writer the writer thread ({@code writer-2})
   * @param outboxId the held event's outbox id
   * @param heldMs how long it was held; empty when it was not released before the run stopped
   */
  record HeldTransaction(String writer, long outboxId, OptionalLong heldMs) {}

  /**
   * Records a data fault put into the stream: poison records published, events written with fields
   * the schema does not know.
   *
   * @param count how many were injected
   * @param asked how many were asked for (poison); 0 when the fault asks for a fraction
   */
  record Injected(long count, long asked) implements Observed {}

  /**
   * An operator's offset reset: the consumer group's committed offsets before and after it, and the
   * pipeline's own checkpoints at that moment (what a reset to an offset below them makes the
   * consumer read again, and one above them would skip).
   *
   * @param committed the group's committed offset per partition before the reset (absent: none)
   * @param resetTo the offset per partition the group was set to
   * @param checkpoints the consumer's checkpoints (next offset per partition) when it was stopped
   * @param answer what the consumer said about the reset once it was running again (its status
   *     {@code offsetReset}), empty when it said nothing
   */
  record OffsetsReset(
      Map<Integer, Long> committed,
      Map<Integer, Long> resetTo,
      Map<Integer, Long> checkpoints,
      Optional<String> answer)
      implements Observed {
    public OffsetsReset {
      committed = Map.copyOf(committed);
      resetTo = Map.copyOf(resetTo);
      checkpoints = Map.copyOf(checkpoints);
      Objects.requireNonNull(answer, "answer");
    }
  }

  /**
   * A topic deleted and created again.
   *
   * @param oldId the topic id before, empty when it could not be read
   * @param newId the topic id after, empty when the topic did not come back
   * @param oldEnds the end offset of each partition of the old topic (the records it held)
   * @param consumerCaughtUp whether the consumer had read the whole old topic before it was deleted
   * @param answer what the consumer said once it met the new topic (its status {@code topic}),
   *     empty when it said nothing
   * @param newEnds the end offset of each partition of the new topic when the run ended (the
   *     records it got), empty when not read
   */
  record TopicRecreated(
      Optional<String> oldId,
      Optional<String> newId,
      Map<Integer, Long> oldEnds,
      boolean consumerCaughtUp,
      Optional<String> answer,
      Map<Integer, Long> newEnds)
      implements Observed {
    public TopicRecreated {
      Objects.requireNonNull(oldId, "oldId");
      Objects.requireNonNull(newId, "newId");
      oldEnds = Map.copyOf(oldEnds);
      Objects.requireNonNull(answer, "answer");
      newEnds = Map.copyOf(newEnds);
    }
  }

  /**
   * A second consumer against the warehouse of a paused first one.
   *
   * @param first the pause of the first consumer
   * @param zombiePid the second consumer's pid, empty when it did not start
   * @param zombieReported whether the second consumer wrote a status while the first was paused (it
   *     was up and had tried the warehouse)
   * @param zombieState the second consumer's last status: {@code standby} with why, or what it did
   * @param zombieApplied events the second consumer reported applied (0 when fenced out)
   */
  record Zombie(
      Paused first,
      OptionalLong zombiePid,
      boolean zombieReported,
      String zombieState,
      long zombieApplied)
      implements Observed {
    public Zombie {
      Objects.requireNonNull(first, "first");
      Objects.requireNonNull(zombiePid, "zombiePid");
      Objects.requireNonNull(zombieState, "zombieState");
    }
  }

  /**
   * A schema change of the source.
   *
   * @param statement the DDL run
   * @param applied whether the catalog showed the change afterwards
   * @param eventsAfter events the writers committed in the changed shape (with the new column, or a
   *     value only the widened type holds) until the run ended
   */
  record SchemaChanged(String statement, boolean applied, long eventsAfter) implements Observed {}

  /**
   * A writer's clock jump.
   *
   * @param writer the writer ({@code writer-0})
   * @param skewMs how far its clock was moved (negative: back)
   * @param events events it committed with the moved clock
   * @param eventsOnAnotherDate of those, how many carry another UTC date than the wall clock had
   */
  record ClockJumped(String writer, long skewMs, long events, long eventsOnAnotherDate)
      implements Observed {}

  /**
   * A store's file system filled up.
   *
   * @param dir the store's directory (the mount point)
   * @param freeBefore bytes free before the fill
   * @param freeWhileFull bytes free right after the fill
   * @param consumerSaw what the consumer reported while the store was full (its status {@code
   *     stalled} reason), empty when it reported nothing
   */
  record Filled(String dir, long freeBefore, long freeWhileFull, Optional<String> consumerSaw)
      implements Observed {
    public Filled {
      Objects.requireNonNull(dir, "dir");
      Objects.requireNonNull(consumerSaw, "consumerSaw");
    }
  }

  /**
   * A publisher frozen while the others ran.
   *
   * @param pause the pause of the frozen publisher
   * @param othersPublished events the other publishers got acknowledged while it was frozen
   */
  record FrozenWhileOthersRan(Paused pause, long othersPublished) implements Observed {
    public FrozenWhileOthersRan {
      Objects.requireNonNull(pause, "pause");
    }
  }

  /**
   * An unclean leader election.
   *
   * @param partition the partition
   * @param leaderBefore the broker that led it and took records alone ({@code kafka-2})
   * @param leaderAfter the broker elected uncleanly, empty when no election happened
   * @param endBefore the partition's end offset on the old leader before it was killed
   * @param endAfter the partition's end offset on the new leader right after the election
   * @param note what happened when a step failed, empty otherwise
   */
  record Truncated(
      int partition,
      String leaderBefore,
      Optional<String> leaderAfter,
      long endBefore,
      long endAfter,
      Optional<String> note)
      implements Observed {
    public Truncated {
      Objects.requireNonNull(leaderBefore, "leaderBefore");
      Objects.requireNonNull(leaderAfter, "leaderAfter");
      Objects.requireNonNull(note, "note");
    }
  }
}
