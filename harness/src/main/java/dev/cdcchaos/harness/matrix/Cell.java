package dev.cdcchaos.harness.matrix;

import dev.cdcchaos.pipeline.variant.Variant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One run of the matrix: a pipeline variant under one scenario, and what the harness concluded.
 *
 * @param variant the pipeline that ran ({@link Variant#CORRECT} for the reference row)
 * @param scenario the scenario's name (a column of the matrix)
 * @param status what the run means for this row, see {@link Status}
 * @param invariants the invariants behind the status: those that did not hold (caught, failed) or
 *     could not be judged (unknown); empty otherwise
 * @param wallMs wall time of the run, infrastructure set-up included
 * @param runDir the run's report folder, empty when the run never produced one
 * @param error what went wrong when the run itself failed ({@link Status#ERROR})
 */
public record Cell(
    Variant variant,
    String scenario,
    Status status,
    List<String> invariants,
    long wallMs,
    Optional<String> runDir,
    Optional<String> error) {

  /** The meaning of a run for its row. */
  public enum Status {
    /** A known-bad variant was judged invalid: the harness caught it. */
    CAUGHT,
    /** A known-bad variant was judged valid: it escaped this scenario. */
    MISSED,
    /** The correct pipeline was judged valid. */
    VALID,
    /** The correct pipeline was judged invalid: a bug in the pipeline or a false alarm. */
    FAILED,
    /** The run could not be judged (it did not drain, a store was unreadable). */
    UNKNOWN,
    /** The run itself broke (infrastructure, harness); see {@link Cell#error()}. */
    ERROR;

    /** Lower-case name for files and CSS classes. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** Whether this is a good outcome for its row: caught for a variant, valid for correct. */
    public boolean good() {
      return this == CAUGHT || this == VALID;
    }
  }

  public Cell {
    Objects.requireNonNull(variant, "variant");
    Objects.requireNonNull(scenario, "scenario");
    Objects.requireNonNull(status, "status");
    invariants = List.copyOf(invariants);
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(error, "error");
  }

  /** A short text for tables: {@code caught: converged, no-loss}, {@code missed}, ... */
  public String text() {
    return invariants.isEmpty()
        ? status.label()
        : status.label() + ": " + String.join(", ", invariants);
  }
}
