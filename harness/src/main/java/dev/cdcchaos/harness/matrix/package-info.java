/**
 * The detection matrix: every known-bad pipeline variant run against scenario files, to show the
 * harness has teeth. A variant is caught when a scenario's verdict is invalid; the correct pipeline
 * must stay valid on the same scenarios. {@link dev.cdcchaos.harness.matrix.DetectionMatrix} plans
 * and runs the cells, {@link dev.cdcchaos.harness.matrix.MatrixResult} judges them and {@link
 * dev.cdcchaos.harness.matrix.MatrixReport} writes {@code matrix.md}, {@code matrix.html} and
 * {@code matrix.json}.
 */
package dev.cdcchaos.harness.matrix;
