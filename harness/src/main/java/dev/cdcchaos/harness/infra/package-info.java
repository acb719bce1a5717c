/**
 * Infrastructure the harness starts, breaks and stops: {@link dev.cdcchaos.harness.infra.Node}s
 * (Postgres, Kafka brokers, child JVMs) with kill / pause / resume / restart, and the {@link
 * dev.cdcchaos.harness.infra.Infrastructure} a run uses, chosen by {@link
 * dev.cdcchaos.harness.infra.Mode}: {@link dev.cdcchaos.harness.infra.LocalInfrastructure} wires
 * local servers behind named Toxiproxy links. Every process is registered with {@link
 * dev.cdcchaos.harness.infra.ChildProcesses}, whose shutdown hook kills it when the JVM exits.
 */
package dev.cdcchaos.harness.infra;
