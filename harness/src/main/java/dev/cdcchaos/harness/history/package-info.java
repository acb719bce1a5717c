/**
 * A run's history, Jepsen style: every source write, publish, apply and fault as invoke then ok /
 * fail / info, with times from an injected clock; {@link dev.cdcchaos.harness.history.History}
 * records it from many threads, {@link dev.cdcchaos.harness.history.HistoryJsonl} stores it.
 */
package dev.cdcchaos.harness.history;
