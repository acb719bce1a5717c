package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.util.ArrayList;
import java.util.List;

/**
 * Process control of the servers of an {@link Infrastructure} that owns them: the nodes the nemesis
 * kills, pauses, resumes and restarts.
 */
public interface ServerControl {

  /** The Postgres server. */
  Node postgres();

  /** The Kafka brokers, broker 1 first. */
  List<? extends Node> brokers();

  /** Every node: {@code postgres}, {@code kafka-1}, {@code kafka-2}, ... */
  default List<Node> nodes() {
    List<Node> all = new ArrayList<>();
    all.add(postgres());
    all.addAll(brokers());
    return all;
  }

  /** The node called {@code name} ({@code postgres}, {@code kafka-1}, ...). */
  default Node node(String name) {
    return nodes().stream()
        .filter(n -> n.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    "no node '"
                        + name
                        + "'; nodes are "
                        + nodes().stream().map(Node::name).toList()));
  }
}
