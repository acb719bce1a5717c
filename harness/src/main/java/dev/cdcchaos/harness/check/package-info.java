/**
 * The invariants of a run, as pure functions over an {@link
 * dev.cdcchaos.harness.check.Observation}: {@link dev.cdcchaos.harness.check.Checkers} names them
 * as scenario files do and combines their verdicts, worst first. {@link
 * dev.cdcchaos.harness.check.Fold} is the reference semantics the warehouse is compared with.
 *
 * <p>The checkers are the oracle: they use only the harness's own model ({@code
 * dev.cdcchaos.harness.model}) over observations the harness read itself ({@code
 * dev.cdcchaos.harness.observe}), never a class of the pipeline under test ({@code
 * OracleIndependenceTest}).
 *
 * <p>Soundness rule shared by every checker: when the run did not drain, a difference a consumer
 * that is merely behind could show is {@code UNKNOWN}; a difference no lag explains is {@code
 * INVALID} either way; nothing unobserved is ever {@code VALID}.
 */
package dev.cdcchaos.harness.check;
