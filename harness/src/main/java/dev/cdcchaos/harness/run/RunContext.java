package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.infra.Infrastructure;
import dev.cdcchaos.harness.infra.Node;
import dev.cdcchaos.harness.infra.ServerControl;
import dev.cdcchaos.harness.net.Links;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * What one run's parts share: the infrastructure, its topic and database, the processes and the
 * history.
 */
final class RunContext {
  private final Infrastructure infra;
  private final String topic;
  private final String database;
  private final Path workDir;
  private final long seed;
  private final History history;
  private final Consumer<String> progress;
  private final String consumerGroup;
  private final int partitions;
  private List<PipelineProcess> publishers = List.of();
  private List<PipelineProcess> writers = List.of();
  private PipelineProcess consumer;
  private Supervisor supervisor;
  private WorkloadDriver workload;
  private PoisonProducer poison;
  private final List<dev.cdcchaos.harness.check.Observation.KafkaRecord> retiredRecords =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<dev.cdcchaos.harness.check.Observation.Checkpoint> retiredEnds =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile String currentTopicId;
  private volatile boolean recreated;

  RunContext(
      Infrastructure infra,
      String topic,
      String database,
      Path workDir,
      long seed,
      History history,
      Consumer<String> progress,
      String consumerGroup,
      int partitions) {
    this.infra = infra;
    this.consumerGroup = consumerGroup;
    this.partitions = partitions;
    this.topic = topic;
    this.database = database;
    this.workDir = workDir;
    this.seed = seed;
    this.history = history;
    this.progress = progress;
  }

  /** {@code publishers} in order: publisher 1 ({@code publisher}), then {@code publisher-2} ... */
  void attach(
      List<PipelineProcess> publishers,
      PipelineProcess consumer,
      Supervisor supervisor,
      WorkloadDriver workload,
      PoisonProducer poison) {
    this.publishers = List.copyOf(publishers);
    this.consumer = consumer;
    this.supervisor = supervisor;
    this.workload = workload;
    this.poison = poison;
  }

  /** The writer processes, writer 0 first; empty when the writers run in the harness JVM. */
  void writers(List<PipelineProcess> writers) {
    this.writers = List.copyOf(writers);
  }

  Infrastructure infra() {
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

  /** The consumer's Kafka consumer group (where it commits its position). */
  String consumerGroup() {
    return consumerGroup;
  }

  /** The topic's partition count. */
  int partitions() {
    return partitions;
  }

  private java.util.function.Supplier<PipelineProcess> secondConsumer =
      () -> {
        throw new IllegalStateException("no second consumer can be made in this run");
      };
  private final List<PipelineProcess> extras = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** How a second consumer process ({@code consumer-2}) of the same stage is made. */
  void secondConsumer(java.util.function.Supplier<PipelineProcess> factory) {
    this.secondConsumer = factory;
  }

  /**
   * A new second consumer process, not started: same stage and settings as the consumer (same
   * warehouse, lake, topic and group), its own status, control and log files. The run stops it at
   * its end whatever happened.
   */
  PipelineProcess newSecondConsumer() {
    PipelineProcess p = secondConsumer.get();
    extras.add(p);
    return p;
  }

  /** The processes faults started besides the pipeline's own (a zombie consumer). */
  List<PipelineProcess> extras() {
    return extras;
  }

  private final java.util.Map<dev.cdcchaos.harness.fault.Fault.Store, StoreMount> mounts =
      new java.util.EnumMap<>(dev.cdcchaos.harness.fault.Fault.Store.class);

  /** The tmpfs mounted over a store for a {@code disk-full} run. */
  void mount(dev.cdcchaos.harness.fault.Fault.Store store, StoreMount mount) {
    mounts.put(store, mount);
  }

  java.util.Optional<StoreMount> mount(dev.cdcchaos.harness.fault.Fault.Store store) {
    return java.util.Optional.ofNullable(mounts.get(store));
  }

  /** The warehouse file of the run (the consumer's settings name the same). */
  Path warehouseFile() {
    return warehouseFile(workDir);
  }

  /**
   * The warehouse file of a run whose work folder is {@code work}: {@code warehouse.duckdb} in it,
   * or in its {@code warehouse/} folder where the run made one (a {@code disk-full: warehouse} run
   * mounts its tmpfs there, so that the file system that fills up is the warehouse's alone).
   */
  public static Path warehouseFile(Path work) {
    Path own = work.resolve(WAREHOUSE_DIR);
    return java.nio.file.Files.isDirectory(own)
        ? own.resolve("warehouse.duckdb")
        : work.resolve("warehouse.duckdb");
  }

  /** The folder of the warehouse in a {@code disk-full: warehouse} run. */
  static final String WAREHOUSE_DIR = "warehouse";

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

  /** Every publisher, publisher 1 first. */
  List<PipelineProcess> publishers() {
    return publishers;
  }

  /**
   * The pipeline process {@code target} names: the consumer, publisher 1 ({@code publisher}) or a
   * numbered publisher.
   */
  PipelineProcess process(Target target) {
    if (target == Target.Service.CONSUMER) {
      return consumer;
    }
    if (target instanceof Target.Writer w) {
      if (w.number() >= writers.size()) {
        throw new BadInputException(
            target.cliName()
                + " does not exist: the run has "
                + writers.size()
                + " writer process(es) (workload.writers_in: processes)");
      }
      return writers.get(w.number());
    }
    int n = Target.publisherNumber(target);
    if (n == 0) {
      throw new IllegalArgumentException(target.cliName() + " is not a pipeline process");
    }
    if (n > publishers.size()) {
      throw new BadInputException(
          target.cliName()
              + " does not exist: the topology has "
              + publishers.size()
              + " publisher(s)");
    }
    return publishers.get(n - 1);
  }

  /**
   * The node a process fault targets; {@code kafka-leader} is resolved to the leader of partition 0
   * now. A server node needs the infrastructure's {@link Infrastructure#serverControl()}: runs
   * whose faults need one it lacks are not applicable and never get here.
   */
  /** A server node by name ({@code postgres}, {@code kafka-2}); needs {@link #node}'s control. */
  Node serverNode(String name) {
    return infra
        .serverControl()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    name
                        + " is a server of "
                        + infra.mode().cliName()
                        + " infrastructure, which the harness does not control"))
        .node(name);
  }

  Node node(Target target) {
    if (target instanceof Target.Publisher || target instanceof Target.Writer) {
      return process(target);
    }
    if (target == Target.Service.CONSUMER || target == Target.Service.PUBLISHER) {
      return process(target);
    }
    ServerControl servers =
        infra
            .serverControl()
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        target.cliName()
                            + " is a server of "
                            + infra.mode().cliName()
                            + " infrastructure, which the harness does not control"));
    if (target instanceof Target.Broker b) {
      if (b.number() > servers.brokers().size()) {
        throw new BadInputException(
            "kafka-"
                + b.number()
                + " does not exist: the topology has "
                + servers.brokers().size()
                + " broker(s)");
      }
      return servers.node("kafka-" + b.number());
    }
    return switch ((Target.Service) target) {
      case CONSUMER, PUBLISHER -> process(target);
      case POSTGRES -> servers.postgres();
      case KAFKA_LEADER -> servers.node("kafka-" + infra.leaderOf(topic, 0));
    };
  }

  /**
   * The name the oracle gives the records of the topic's incarnation in Kafka now: the topic's name
   * until it was recreated, then {@code <topic>~<topic id>} (see {@link
   * dev.cdcchaos.harness.check.Incarnations}).
   */
  String recordedAs() {
    return recreated ? dev.cdcchaos.harness.check.Incarnations.later(topic, currentTopicId) : topic;
  }

  /**
   * The topic was deleted and created again as {@code newTopicId}; {@code records} and {@code ends}
   * are what the deleted incarnation held, read before it was deleted and named by {@link
   * #recordedAs()} as it was then.
   */
  void retire(
      List<dev.cdcchaos.harness.check.Observation.KafkaRecord> records,
      List<dev.cdcchaos.harness.check.Observation.Checkpoint> ends,
      String newTopicId) {
    retiredRecords.addAll(records);
    retiredEnds.addAll(ends);
    currentTopicId = newTopicId;
    recreated = true;
  }

  /** The incarnations of the topic deleted during the run, for the observation. */
  dev.cdcchaos.harness.observe.Observer.EarlierIncarnations earlierIncarnations() {
    return recreated
        ? new dev.cdcchaos.harness.observe.Observer.EarlierIncarnations(
            retiredRecords, retiredEnds, java.util.Optional.of(recordedAs()))
        : dev.cdcchaos.harness.observe.Observer.EarlierIncarnations.NONE;
  }
}
