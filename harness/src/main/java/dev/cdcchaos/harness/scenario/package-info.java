/**
 * Scenario files: the model ({@link dev.cdcchaos.harness.scenario.Scenario}), the strict loader
 * that names file, line and field of every problem, and the writer that turns a scenario back into
 * a file. The format is documented in {@code scenarios/README.md}.
 */
package dev.cdcchaos.harness.scenario;
