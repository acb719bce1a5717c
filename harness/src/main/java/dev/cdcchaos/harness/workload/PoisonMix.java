package dev.cdcchaos.harness.workload;

import java.util.List;

/**
 * Poison records mixed into a workload: a fixed {@code count} or a {@code fraction} of the
 * workload's events (at most one of the two is non-zero), cycling through {@code kinds}.
 */
public record PoisonMix(int count, double fraction, List<PoisonKind> kinds) {

  /** No poison. */
  public static final PoisonMix NONE = new PoisonMix(0, 0, List.of(PoisonKind.values()));

  public PoisonMix {
    kinds = List.copyOf(kinds);
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative");
    }
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction must be in [0, 1]");
    }
    if (count > 0 && fraction > 0) {
      throw new IllegalArgumentException("give a poison count or a fraction, not both");
    }
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("poison needs at least one kind");
    }
  }

  public static PoisonMix count(int count, List<PoisonKind> kinds) {
    return new PoisonMix(count, 0, kinds);
  }

  public static PoisonMix fraction(double fraction, List<PoisonKind> kinds) {
    return new PoisonMix(0, fraction, kinds);
  }

  /** How many poison records go into a workload of {@code events} source events. */
  public int countFor(long events) {
    return count > 0 ? count : (int) Math.round(fraction * events);
  }

  public boolean isNone() {
    return count == 0 && fraction == 0;
  }
}
