package dev.cdcchaos.harness.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A process the nemesis can kill, pause or restart. Brokers are numbered from 1 ({@code kafka-1} ..
 * {@code kafka-3}); {@code kafka-leader} is whichever broker leads partition 0 of the topic when
 * the fault starts. Publishers are numbered the same way: {@code publisher} is publisher 1 ({@code
 * publisher-1} is read as the same), {@code publisher-2} .. {@code publisher-4} the others a
 * topology with several publishers runs. Writer processes ({@code workload.writers_in: processes})
 * are numbered from 0 as the workload numbers its writers: {@code writer-0} .. {@code writer-W-1}.
 */
public sealed interface Target
    permits Target.Service, Target.Broker, Target.Publisher, Target.Writer {

  /** The name used in scenario files. */
  String cliName();

  /** The pipeline processes, Postgres and the partition-0 leader: targets without a number. */
  enum Service implements Target {
    CONSUMER,
    PUBLISHER,
    POSTGRES,
    KAFKA_LEADER;

    @Override
    public String cliName() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /**
   * One Kafka broker, numbered from 1.
   *
   * @param number 1 .. the topology's broker count
   */
  record Broker(int number) implements Target {
    public Broker {
      if (number < 1) {
        throw new IllegalArgumentException("broker numbers start at 1, was " + number);
      }
    }

    @Override
    public String cliName() {
      return "kafka-" + number;
    }
  }

  /**
   * A publisher other than the first (which is {@link Service#PUBLISHER}), numbered from 2.
   *
   * @param number 2 .. the topology's publisher count
   */
  record Publisher(int number) implements Target {
    public Publisher {
      if (number < 2) {
        throw new IllegalArgumentException(
            "publisher 1 is Service.PUBLISHER; numbered publishers start at 2, was " + number);
      }
    }

    @Override
    public String cliName() {
      return "publisher-" + number;
    }
  }

  /**
   * One writer process of the workload, numbered from 0 as the workload numbers its writers (order
   * {@code id} belongs to writer {@code id % writers}).
   *
   * @param number 0 .. the workload's writers - 1
   */
  record Writer(int number) implements Target {
    public Writer {
      if (number < 0) {
        throw new IllegalArgumentException("writer numbers start at 0, was " + number);
      }
    }

    @Override
    public String cliName() {
      return "writer-" + number;
    }
  }

  /**
   * The publisher's number: 1 for {@link Service#PUBLISHER}, its number for a {@link Publisher}, 0
   * for any other target.
   */
  static int publisherNumber(Target target) {
    if (target == Service.PUBLISHER) {
      return 1;
    }
    return target instanceof Publisher p ? p.number() : 0;
  }

  /**
   * Parses a target name; a broker or publisher number is checked against the topology elsewhere.
   * {@code publisher-1} is {@link Service#PUBLISHER}.
   */
  static Optional<Target> parse(String name) {
    for (Service s : Service.values()) {
      if (s.cliName().equals(name)) {
        return Optional.of(s);
      }
    }
    if (name.matches("kafka-[1-9][0-9]{0,2}")) {
      return Optional.of(new Broker(Integer.parseInt(name.substring("kafka-".length()))));
    }
    if (name.matches("publisher-[1-9][0-9]{0,2}")) {
      int number = Integer.parseInt(name.substring("publisher-".length()));
      return Optional.of(number == 1 ? Service.PUBLISHER : new Publisher(number));
    }
    if (name.matches("writer-(0|[1-9][0-9]{0,2})")) {
      return Optional.of(new Writer(Integer.parseInt(name.substring("writer-".length()))));
    }
    return Optional.empty();
  }

  /** The valid target names for a cluster of {@code brokers} brokers and one publisher. */
  static List<String> names(int brokers) {
    return names(brokers, 1);
  }

  /** The valid target names for {@code brokers} brokers and {@code publishers} publishers. */
  static List<String> names(int brokers, int publishers) {
    return names(brokers, publishers, 0);
  }

  /**
   * The valid target names for {@code brokers} brokers, {@code publishers} publishers and {@code
   * writerProcesses} writer processes (0 when the writers run in the harness JVM).
   */
  static List<String> names(int brokers, int publishers, int writerProcesses) {
    List<String> names = new ArrayList<>();
    names.add(Service.CONSUMER.cliName());
    names.add(Service.PUBLISHER.cliName());
    for (int i = 2; i <= publishers; i++) {
      names.add(new Publisher(i).cliName());
    }
    names.add(Service.POSTGRES.cliName());
    for (int i = 1; i <= brokers; i++) {
      names.add(new Broker(i).cliName());
    }
    names.add(Service.KAFKA_LEADER.cliName());
    for (int i = 0; i < writerProcesses; i++) {
      names.add(new Writer(i).cliName());
    }
    return names;
  }
}
