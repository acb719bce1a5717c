package dev.cdcchaos.harness.check;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants by the names scenario files use, and how a run's verdict combines them: the worst
 * verdict wins, and a checker that throws (breaking its contract) counts as unknown, never as a
 * pass.
 */
public final class Checkers {

  /** In scenario files, {@code invariants: all} selects every checker. */
  public static final String ALL = "all";

  private static final Map<String, Checker> CHECKERS = new LinkedHashMap<>();

  static {
    CHECKERS.put(ConvergedChecker.NAME, new ConvergedChecker());
    CHECKERS.put(NoLossChecker.NAME, new NoLossChecker());
    CHECKERS.put(NoDuplicatesChecker.NAME, new NoDuplicatesChecker());
    CHECKERS.put(LakeCompleteChecker.NAME, new LakeCompleteChecker());
    CHECKERS.put(ReplayEquivalentChecker.NAME, new ReplayEquivalentChecker());
    CHECKERS.put(CheckpointsSoundChecker.NAME, new CheckpointsSoundChecker());
    CHECKERS.put(AccountingChecker.NAME, new AccountingChecker());
    CHECKERS.put(LivenessChecker.NAME, new LivenessChecker());
    CHECKERS.put(SnapshotConsistentChecker.NAME, new SnapshotConsistentChecker());
    CHECKERS.put(MonotonicReadsChecker.NAME, new MonotonicReadsChecker());
  }

  private Checkers() {}

  /** Every checker by name, in the order of ARCHITECTURE.md's invariants. */
  public static Map<String, Checker> all() {
    return java.util.Collections.unmodifiableMap(CHECKERS);
  }

  /** Every invariant name. */
  public static List<String> names() {
    return List.copyOf(CHECKERS.keySet());
  }

  /**
   * The checker of that name.
   *
   * @throws IllegalArgumentException naming the valid names, if there is none
   */
  public static Checker byName(String name) {
    Checker checker = CHECKERS.get(name);
    if (checker == null) {
      throw new IllegalArgumentException(
          "unknown invariant '" + name + "', expected one of " + names() + " or '" + ALL + "'");
    }
    return checker;
  }

  /**
   * Runs the named checkers ({@code all} expands to every one) on one observation.
   *
   * @throws IllegalArgumentException for an unknown name or an empty selection
   */
  public static RunVerdict run(Observation observation, Collection<String> names) {
    Set<String> selected = new LinkedHashSet<>();
    for (String name : names) {
      if (ALL.equals(name)) {
        selected.addAll(CHECKERS.keySet());
      } else {
        byName(name);
        selected.add(name);
      }
    }
    if (selected.isEmpty()) {
      throw new IllegalArgumentException(
          "no invariants selected, expected some of " + names() + " or '" + ALL + "'");
    }
    List<CheckResult> results = new ArrayList<>();
    for (String name : selected) {
      results.add(runOne(name, CHECKERS.get(name), observation));
    }
    results.sort(Comparator.comparing(CheckResult::verdict).reversed());
    Verdict overall = Verdict.NOT_APPLICABLE;
    for (CheckResult r : results) {
      overall = overall.and(r.verdict());
    }
    return new RunVerdict(overall, results);
  }

  private static CheckResult runOne(String name, Checker checker, Observation observation) {
    try {
      CheckResult result = checker.check(observation);
      if (result == null) {
        return crashed(name, "returned no result");
      }
      return result;
    } catch (RuntimeException e) {
      return crashed(name, "threw " + e);
    }
  }

  private static CheckResult crashed(String name, String what) {
    return new CheckResult(
        name,
        Verdict.UNKNOWN,
        "checker " + what,
        List.of("the checker could not judge this run: " + what),
        Map.of());
  }
}
