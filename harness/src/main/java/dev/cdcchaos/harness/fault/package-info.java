/**
 * The fault vocabulary as types: {@link dev.cdcchaos.harness.fault.Fault} (one record per kind),
 * its links and targets, and {@link dev.cdcchaos.harness.fault.FaultSpec} (what, when, how long).
 * Pure values; injecting them is the runner's job.
 */
package dev.cdcchaos.harness.fault;
