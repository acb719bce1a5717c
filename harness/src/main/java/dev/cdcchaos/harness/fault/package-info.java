/**
 * The fault vocabulary as types: {@link dev.cdcchaos.harness.fault.Fault} (one record per kind),
 * its links and targets, and {@link dev.cdcchaos.harness.fault.FaultSpec} (what, when, how long,
 * whether optional). Pure values; injecting them is the runner's job.
 *
 * <p>Whether a fault took effect is judged here too, purely: the runner gathers {@link
 * dev.cdcchaos.harness.fault.Observed} evidence per fault ({@link
 * dev.cdcchaos.harness.fault.FaultTrace}) and the supervisor's {@link
 * dev.cdcchaos.harness.fault.Death}s, and {@link dev.cdcchaos.harness.fault.FaultEffects#judge}
 * turns them into one {@link dev.cdcchaos.harness.fault.FaultEffect} per scheduled fault; a fault
 * that did not take effect makes the run unknown ({@link
 * dev.cdcchaos.harness.fault.FaultEffects#combine}).
 */
package dev.cdcchaos.harness.fault;
