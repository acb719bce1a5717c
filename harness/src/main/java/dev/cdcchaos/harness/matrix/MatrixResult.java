package dev.cdcchaos.harness.matrix;

import dev.cdcchaos.pipeline.variant.Variant;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The cells of a detection matrix and what they add up to: which variants were caught, by which
 * scenario first and how fast, and whether the correct pipeline passed everything it ran.
 *
 * @param variants the rows, {@link Variant#CORRECT} first when it ran
 * @param scenarios the columns: scenario names in run order
 * @param cells the runs that happened (a pair without a cell was not run)
 * @param startedAt when the matrix started
 * @param wallMs how long the whole matrix took
 */
public record MatrixResult(
    List<Variant> variants,
    List<String> scenarios,
    List<Cell> cells,
    Instant startedAt,
    long wallMs) {

  public MatrixResult {
    variants = List.copyOf(variants);
    scenarios = List.copyOf(scenarios);
    cells = List.copyOf(cells);
  }

  /** The run of {@code variant} under {@code scenario}, if it happened. */
  public Optional<Cell> cell(Variant variant, String scenario) {
    return cells.stream()
        .filter(c -> c.variant() == variant && c.scenario().equals(scenario))
        .findFirst();
  }

  /** The rows of known-bad variants. */
  public List<Variant> knownBad() {
    return variants.stream().filter(v -> v != Variant.CORRECT).toList();
  }

  /** The rows of known-bad variants of one {@link Variant#tier()}. */
  public List<Variant> knownBad(String tier) {
    return knownBad().stream().filter(v -> v.tier().equals(tier)).toList();
  }

  /**
   * The first scenario (in column order) that caught {@code variant}; its wall time is the
   * variant's time to detection.
   */
  public Optional<Cell> detection(Variant variant) {
    return scenarios.stream()
        .map(s -> cell(variant, s))
        .flatMap(Optional::stream)
        .filter(c -> c.status() == Cell.Status.CAUGHT)
        .findFirst();
  }

  /** How many scenarios caught {@code variant}. */
  public long caughtCount(Variant variant) {
    return cells.stream()
        .filter(c -> c.variant() == variant && c.status() == Cell.Status.CAUGHT)
        .count();
  }

  /** How many scenarios {@code variant} ran under. */
  public long ranCount(Variant variant) {
    return cells.stream().filter(c -> c.variant() == variant).count();
  }

  /** Known-bad variants that no scenario caught. */
  public List<Variant> escaped() {
    return knownBad().stream().filter(v -> detection(v).isEmpty()).toList();
  }

  /** Runs of the correct pipeline that were not valid. */
  public List<Cell> correctProblems() {
    return cells.stream()
        .filter(c -> c.variant() == Variant.CORRECT && c.status() != Cell.Status.VALID)
        .toList();
  }

  /**
   * The matrix holds: at least one run, every known-bad variant caught by some scenario, and the
   * correct pipeline valid on every scenario it ran.
   */
  public boolean ok() {
    return !cells.isEmpty() && escaped().isEmpty() && correctProblems().isEmpty();
  }
}
