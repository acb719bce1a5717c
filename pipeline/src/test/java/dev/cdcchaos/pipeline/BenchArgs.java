package dev.cdcchaos.pipeline;

import java.lang.management.ManagementFactory;

/**
 * The arguments the pipeline's micro-benchmark mains share ({@code [events] [batchSize] [orders]
 * [seed]}, each optional in that order), and the process CPU time they report.
 */
public record BenchArgs(int events, int batchSize, int orders, long seed) {

  /** Parses {@code args}, defaults 500,000 events, batches of 5,000, 100,000 orders, seed 42. */
  public static BenchArgs parse(String[] args) {
    return new BenchArgs(
        args.length > 0 ? Integer.parseInt(args[0]) : 500_000,
        args.length > 1 ? Integer.parseInt(args[1]) : 5_000,
        args.length > 2 ? Integer.parseInt(args[2]) : 100_000,
        args.length > 3 ? Long.parseLong(args[3]) : 42);
  }

  /** CPU time of this process so far, in nanoseconds. */
  public static long cpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
