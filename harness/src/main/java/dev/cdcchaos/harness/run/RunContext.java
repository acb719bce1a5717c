package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.infra.LocalInfrastructure;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.harness.net.Links;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * What one run's parts share: the infrastructure, its topic and database, the processes and the
 * history.
 */
final class RunContext {
  private final LocalInfrastructure infra;
  private final String topic;
  private final String database;
  private final Path workDir;
  private final long seed;
  private final History history;
  private final Consumer<String> progress;
  private PipelineProcess publisher;
  private PipelineProcess consumer;
  private Supervisor supervisor;
  private WorkloadDriver workload;
  private PoisonProducer poison;

  RunContext(
      LocalInfrastructure infra,
      String topic,
      String database,
      Path workDir,
      long seed,
      History history,
      Consumer<String> progress) {
    this.infra = infra;
    this.topic = topic;
    this.database = database;
    this.workDir = workDir;
    this.seed = seed;
    this.history = history;
    this.progress = progress;
  }

  void attach(
      PipelineProcess publisher,
      PipelineProcess consumer,
      Supervisor supervisor,
      WorkloadDriver workload,
      PoisonProducer poison) {
    this.publisher = publisher;
    this.consumer = consumer;
    this.supervisor = supervisor;
    this.workload = workload;
    this.poison = poison;
  }

  LocalInfrastructure infra() {
    return infra;
  }

  Links links() {
    return infra.links();
  }

  String topic() {
    return topic;
  }

  String database() {
    return database;
  }

  Path workDir() {
    return workDir;
  }

  long seed() {
    return seed;
  }

  History history() {
    return history;
  }

  Consumer<String> progress() {
    return progress;
  }

  Supervisor supervisor() {
    return supervisor;
  }

  WorkloadDriver workload() {
    return workload;
  }

  PoisonProducer poison() {
    return poison;
  }

  PipelineProcess process(Target.Service service) {
    return switch (service) {
      case CONSUMER -> consumer;
      case PUBLISHER -> publisher;
      default ->
          throw new IllegalArgumentException(service.cliName() + " is not a pipeline process");
    };
  }

  /**
   * The node a process fault targets; {@code kafka-leader} is resolved to the leader of partition 0
   * now.
   */
  Node node(Target target) {
    if (target instanceof Target.Broker b) {
      if (b.number() > infra.kafka().nodes().size()) {
        throw new BadInputException(
            "kafka-"
                + b.number()
                + " does not exist: the topology has "
                + infra.kafka().nodes().size()
                + " broker(s)");
      }
      return infra.node("kafka-" + b.number());
    }
    Target.Service s = (Target.Service) target;
    return switch (s) {
      case CONSUMER -> consumer;
      case PUBLISHER -> publisher;
      case POSTGRES -> infra.node("postgres");
      case KAFKA_LEADER -> infra.node("kafka-" + infra.kafka().leaderOf(topic, 0));
    };
  }
}
