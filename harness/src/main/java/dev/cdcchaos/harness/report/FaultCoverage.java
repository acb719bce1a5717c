package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultEffect;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Over several runs, for each fault kind and each crash point: how many runs scheduled it and in
 * how many it bit (every such fault of the run took effect), and the same counted in faults. Every
 * kind and point is listed, scheduled or not, so a gap in coverage shows. {@code run} (several
 * files), {@code matrix} and {@code search} print it.
 *
 * @param runs how many runs the table covers
 * @param rows one per fault kind, then one per crash point, in documentation order
 */
public record FaultCoverage(int runs, List<Row> rows) {

  public FaultCoverage {
    rows = List.copyOf(rows);
  }

  /**
   * One line of the table.
   *
   * @param fault a fault kind ({@code partition}) or a crash point ({@code crash at
   *     consumer.after-lake})
   * @param runsScheduled runs that scheduled it at least once
   * @param runsBit of those, runs in which every such fault took effect
   * @param faultsScheduled how many such faults the runs scheduled
   * @param faultsBit how many of them took effect
   */
  public record Row(
      String fault, int runsScheduled, int runsBit, int faultsScheduled, int faultsBit) {}

  /** The coverage of runs, each given by its fault effects. */
  public static FaultCoverage of(List<List<FaultEffect>> runs) {
    Map<String, int[]> table = new LinkedHashMap<>();
    for (String kind : Fault.KINDS) {
      table.put(kind, new int[4]);
    }
    for (String point : CrashPoints.ALL) {
      table.put(pointRow(point), new int[4]);
    }
    for (List<FaultEffect> run : runs) {
      Map<String, int[]> inRun = new LinkedHashMap<>();
      for (FaultEffect e : run) {
        List<String> keys = new ArrayList<>();
        keys.add(e.kind());
        if (e.point() != null) {
          keys.add(pointRow(e.point()));
        }
        for (String key : keys) {
          int[] counts = inRun.computeIfAbsent(key, k -> new int[2]);
          counts[0]++;
          counts[1] += e.tookEffect() ? 1 : 0;
        }
      }
      inRun.forEach(
          (key, counts) -> {
            int[] row = table.computeIfAbsent(key, k -> new int[4]);
            row[0]++;
            row[1] += counts[0] == counts[1] ? 1 : 0;
            row[2] += counts[0];
            row[3] += counts[1];
          });
    }
    List<Row> rows = new ArrayList<>();
    table.forEach((key, r) -> rows.add(new Row(key, r[0], r[1], r[2], r[3])));
    return new FaultCoverage(runs.size(), rows);
  }

  /** The coverage of run reports. */
  public static FaultCoverage ofReports(List<RunReport> reports) {
    return of(reports.stream().map(RunReport::effects).toList());
  }

  /** Faults that were scheduled and did not take effect every time. */
  public List<Row> gaps() {
    return rows.stream().filter(r -> r.faultsBit() < r.faultsScheduled()).toList();
  }

  /** The table as console text, one line per row, with a heading. */
  public String render() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "Fault coverage over %d run(s): runs that scheduled each fault, runs in which it bit"
                + " (every time), and the same in faults%n",
            runs));
    out.append(
        String.format(
            Locale.ROOT,
            "  %-40s %9s %6s %7s %12s%n",
            "fault",
            "scheduled",
            "bit",
            "faults",
            "took effect"));
    for (Row r : rows) {
      out.append(
          String.format(
              Locale.ROOT,
              "  %-40s %9d %6d %7d %12d%s%n",
              r.fault(),
              r.runsScheduled(),
              r.runsBit(),
              r.faultsScheduled(),
              r.faultsBit(),
              r.faultsBit() < r.faultsScheduled() ? "   <- did not always bite" : ""));
    }
    return out.toString();
  }

  private static String pointRow(String point) {
    return "crash at " + point;
  }
}
