/**
 * Network faults. Every client-to-server link of a run goes through a Toxiproxy proxy driven with
 * toxiproxy-java ({@link dev.cdcchaos.harness.net.Links}); in {@code local} mode the Toxiproxy HTTP
 * API is served in this JVM by {@link dev.cdcchaos.harness.net.ToxiproxyServer}, which speaks the
 * same API and toxics, so the same client code drives a real Toxiproxy under Docker. Our server
 * also counts what each proxy and toxic did ({@link dev.cdcchaos.harness.net.LinkCounters}, {@code
 * GET /counters}), the evidence that a network fault took effect; real Toxiproxy has no such
 * counters.
 */
package dev.cdcchaos.harness.net;
