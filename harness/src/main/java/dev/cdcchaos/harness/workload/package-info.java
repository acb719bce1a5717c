/**
 * Seeded workloads: the source operations each writer performs and the poison records mixed into
 * the topic. Same spec and seed, same operations, on every machine.
 */
package dev.cdcchaos.harness.workload;
