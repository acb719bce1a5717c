package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.check.Observation.Checkpoint;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.report.RunReport;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The pipeline's progress over a run, sampled every tick: the samples the report draws (committed,
 * published, applied, lag), every checkpoint value seen (for {@code checkpoints-sound}), and a
 * history note whenever publishing or applying moved.
 */
final class Timeline {
  private final String topic;
  private final History history;
  private final List<RunReport.Sample> samples = new ArrayList<>();
  private final List<Checkpoint> trail = new ArrayList<>();
  private final Map<String, Long> lastCheckpoint = new HashMap<>();

  Timeline(String topic, History history) {
    this.topic = topic;
    this.history = history;
  }

  /** Records one sample taken {@code tMs} after the run started. */
  void record(ProgressProbe.Counts c, long tMs) {
    RunReport.Sample last = samples.isEmpty() ? null : samples.get(samples.size() - 1);
    if (last == null || last.published() != c.published()) {
      history.note("publisher", "publish", Map.of("total", c.published(), "backlog", c.backlog()));
    }
    if (last == null || last.applied() != c.applied()) {
      history.note(
          "consumer",
          "apply",
          Map.of(
              "total",
              c.applied(),
              "deadLettered",
              c.deadLettered(),
              "checkpoints",
              c.checkpoints()));
    }
    samples.add(new RunReport.Sample(tMs, c.committed(), c.published(), c.applied(), lag(c, tMs)));
    // the incarnation of the topic the consumer reads, as it names it (the topic's name, or a
    // later incarnation's after the topic was recreated): each has checkpoints of its own
    String incarnation = c.incarnation() == null ? topic : c.incarnation();
    for (Map.Entry<Integer, Long> e : c.checkpoints().entrySet()) {
      Long previous = lastCheckpoint.put(incarnation + "/" + e.getKey(), e.getValue());
      if (previous == null || !previous.equals(e.getValue())) {
        trail.add(new Checkpoint(incarnation, e.getKey(), e.getValue()));
      }
    }
  }

  /**
   * How long the oldest unapplied event has waited: it was committed just after the last sample
   * whose committed count is at most what is applied now.
   */
  private long lag(ProgressProbe.Counts c, long tMs) {
    if (c.applied() >= c.committed()) {
      return 0;
    }
    long since = tMs;
    for (int i = samples.size() - 1; i >= 0; i--) {
      if (samples.get(i).committed() <= c.applied()) {
        break;
      }
      since = samples.get(i).tMs();
    }
    return tMs - since;
  }

  List<RunReport.Sample> samples() {
    return List.copyOf(samples);
  }

  /** Every checkpoint value observed, in observation order, repeats of the last one dropped. */
  List<Checkpoint> checkpointTrail() {
    return List.copyOf(trail);
  }
}
