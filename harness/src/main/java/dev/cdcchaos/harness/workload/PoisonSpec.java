package dev.cdcchaos.harness.workload;

import java.util.Random;

/**
 * One poison record the harness publishes straight to the topic once {@code afterOps} source
 * operations have committed. {@link #bytes()} gives the same bytes for the same spec.
 *
 * @param index position among the run's poison records, from 0
 * @param kind what is wrong with it
 * @param seed makes its content
 * @param afterOps source operations committed before it is published
 */
public record PoisonSpec(int index, PoisonKind kind, long seed, long afterOps) {

  /** The record value. */
  public byte[] bytes() {
    return Poison.bytes(kind, new Random(seed));
  }

  /** The record key: poison never shares a key with a real order. */
  public String key() {
    return "poison-" + index;
  }
}
