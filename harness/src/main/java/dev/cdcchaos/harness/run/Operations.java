package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Fault;
import java.util.function.Consumer;

/**
 * The faults of issue 11 that act on the system as an operator, an application upgrade or the
 * infrastructure would rather than through a proxy or a signal: offset resets, topic recreation, a
 * zombie consumer, schema changes, clock jumps, full disks and unclean leader elections. Each
 * starts its fault, hands the injector a probe of its evidence and returns how to heal it.
 */
final class Operations {
  private Operations() {}

  static FaultInjector.Heal resetOffsets(
      RunContext ctx, Fault.ResetOffsets fault, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("reset-offsets is not injected yet");
  }

  static FaultInjector.Heal recreateTopic(RunContext ctx, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("recreate-topic is not injected yet");
  }

  static FaultInjector.Heal zombieConsumer(RunContext ctx, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("zombie-consumer is not injected yet");
  }

  static FaultInjector.Heal ddl(
      RunContext ctx, Fault.Ddl fault, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("ddl is not injected yet");
  }

  static FaultInjector.Heal clockSkew(
      RunContext ctx, Fault.ClockSkew fault, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("clock-skew is not injected yet");
  }

  static FaultInjector.Heal diskFull(
      RunContext ctx, Fault.DiskFull fault, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("disk-full is not injected yet");
  }

  static FaultInjector.Heal uncleanElection(
      RunContext ctx, Fault.UncleanLeaderElection fault, Consumer<FaultInjector.Probe> probe) {
    throw new UnsupportedOperationException("unclean-leader-election is not injected yet");
  }
}
