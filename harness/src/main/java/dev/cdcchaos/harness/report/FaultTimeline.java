package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.report.RunReport.FaultSpan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fault spans of a run, read from the nemesis ops of its history, so the runner records faults
 * once (in the history) and the report draws them.
 *
 * <p>Conventions it reads (those of the runner's fault injector): a fault is an op of process
 * {@code nemesis} invoked with {@code f} = the fault's kind and {@code target} (and for crashes
 * {@code point}, shown with the target when the target is not the point's own process, e.g. {@code
 * publisher-2}) in its value; a failed completion means it never started. It heals with an op
 * {@code f = "heal-" + kind} on the same target; the span ends when that heal completes (or is
 * invoked, if it never completes). A fault with a duration ({@code for} in its value) and no heal
 * never healed ({@code endMs} null); one without is instantaneous (a crash, a restart, poison
 * sent): {@code endMs == startMs}.
 *
 * <p>A {@code slow-commit} span names the transactions it held: each note {@code slow-commit-hold}
 * of a writer (with its {@code outbox_id}, {@code order}, {@code version}) is added to the target
 * of the latest open slow-commit span.
 */
public final class FaultTimeline {

  static final String NEMESIS = "nemesis";
  static final String HEAL = "heal-";
  static final String SLOW_COMMIT = "slow-commit";
  static final String HELD = "slow-commit-hold";

  private FaultTimeline() {}

  /** The spans in start order. */
  public static List<FaultSpan> from(List<Op> history) {
    List<Span> spans = new ArrayList<>();
    Set<Long> usedCompletions = new HashSet<>();
    for (int i = 0; i < history.size(); i++) {
      Op op = history.get(i);
      if (HELD.equals(op.f()) && op.type() == Op.Type.INFO) {
        for (int j = spans.size() - 1; j >= 0; j--) {
          Span s = spans.get(j);
          if (s.kind.equals(SLOW_COMMIT) && s.end == null) {
            s.shownTarget +=
                (s.shownTarget.contains(":") ? ", " : ": ")
                    + op.process()
                    + " held outbox id "
                    + op.value().get("outbox_id")
                    + " (order "
                    + op.value().get("order")
                    + " v"
                    + op.value().get("version")
                    + ")";
            break;
          }
        }
        continue;
      }
      if (!NEMESIS.equals(op.process()) || op.type() != Op.Type.INVOKE || op.f() == null) {
        continue;
      }
      Op completion = completion(history, i, usedCompletions);
      if (op.f().startsWith(HEAL)) {
        String kind = op.f().substring(HEAL.length());
        String target = target(op.value());
        for (Span s : spans) {
          if (s.end == null && s.kind.equals(kind) && s.rawTarget.equals(target)) {
            s.end = completion != null ? completion.timeNanos() : op.timeNanos();
            break;
          }
        }
      } else if (completion == null || completion.type() != Op.Type.FAIL) {
        Span s = new Span();
        s.kind = op.f();
        s.rawTarget = target(op.value());
        Object point = op.value().get("point");
        s.shownTarget = point == null ? s.rawTarget : shownCrash(s.rawTarget, point.toString());
        s.start = op.timeNanos();
        s.hasDuration = op.value().containsKey("for");
        spans.add(s);
      }
    }
    List<FaultSpan> result = new ArrayList<>();
    for (Span s : spans) {
      Long end =
          s.end != null ? (Long) (s.end / 1_000_000) : s.hasDuration ? null : s.start / 1_000_000;
      result.add(new FaultSpan(s.kind, s.shownTarget, s.start / 1_000_000, end));
    }
    return result;
  }

  private static Op completion(List<Op> history, int invokeAt, Set<Long> used) {
    Op invoke = history.get(invokeAt);
    for (int j = invokeAt + 1; j < history.size(); j++) {
      Op op = history.get(j);
      if (op.type() != Op.Type.INVOKE
          && NEMESIS.equals(op.process())
          && invoke.f().equals(op.f())
          && used.add(op.index())) {
        return op;
      }
    }
    return null;
  }

  /**
   * A crash shows its point, which names its process ({@code publisher.after-send}); a crash of one
   * of several publishers also names which one ({@code publisher-2 at publisher.after-send}).
   */
  private static String shownCrash(String target, String point) {
    return target.isEmpty() || point.startsWith(target + ".") ? point : target + " at " + point;
  }

  private static String target(Map<String, Object> value) {
    Object t = value.get("target");
    return t == null ? "" : t.toString();
  }

  private static final class Span {
    String kind;
    String rawTarget;
    String shownTarget;
    long start;
    Long end;
    boolean hasDuration;
  }
}
