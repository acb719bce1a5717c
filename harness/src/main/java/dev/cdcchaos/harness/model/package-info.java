/**
 * The oracle's own model of the data: {@link dev.cdcchaos.harness.model.OrderState}, {@link
 * dev.cdcchaos.harness.model.Event} and the {@link dev.cdcchaos.harness.model.EnvelopeReader} that
 * decodes the wire envelope by the written contract ({@code docs/envelope.md}).
 *
 * <p>Nothing here may come from the pipeline under test (enforced by {@code
 * OracleIndependenceTest}): a bug in shared code would sit on both sides of every comparison.
 */
package dev.cdcchaos.harness.model;
