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
        Observed.Signalled,
        Observed.Paused,
        Observed.Restarted,
        Observed.Armed,
        Observed.Sends,
        Observed.Rewound,
        Observed.Held,
        Observed.Injected {

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
}
