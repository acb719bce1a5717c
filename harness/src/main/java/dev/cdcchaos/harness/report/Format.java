package dev.cdcchaos.harness.report;

import dev.cdcchaos.harness.check.Verdict;
import java.util.Locale;

/** How reports print durations and verdicts. */
final class Format {

  private Format() {}

  static String millis(Long ms) {
    if (ms == null) {
      return "—";
    }
    if (ms < 1000) {
      return ms + " ms";
    }
    if (ms < 120_000) {
      return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
    return String.format(Locale.ROOT, "%d min %02d s", ms / 60_000, (ms / 1000) % 60);
  }

  /** How long a fault lasted: "—" if it never healed, "instant" for a crash or a restart. */
  static String duration(RunReport.FaultSpan f) {
    if (f.endMs() == null) {
      return "—";
    }
    return f.endMs() == f.startMs() ? "instant" : millis(f.endMs() - f.startMs());
  }

  static String seconds(long ms) {
    return String.format(Locale.ROOT, "%.1f", ms / 1000.0);
  }

  static String css(Verdict v) {
    return v.name().toLowerCase(Locale.ROOT);
  }

  static String icon(Verdict v) {
    return switch (v) {
      case VALID -> "✅";
      case INVALID -> "❌";
      case UNKNOWN -> "❓";
      case NOT_APPLICABLE -> "➖";
    };
  }

  /** A verdict in a markdown table: icon and word. */
  static String badge(Verdict v) {
    return icon(v) + " " + css(v);
  }

  /** Whether a fault took effect, as a report shows it: yes, no, or no (optional). */
  static String tookEffect(dev.cdcchaos.harness.fault.FaultEffect e) {
    if (e.tookEffect()) {
      return "yes";
    }
    return e.optional() ? "no (optional)" : "NO";
  }

  /** A markdown table cell: no pipes or line breaks from the content. */
  static String cell(String s) {
    return s == null ? "" : s.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ");
  }
}
