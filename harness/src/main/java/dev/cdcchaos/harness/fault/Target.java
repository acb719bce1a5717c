package dev.cdcchaos.harness.fault;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A process the nemesis can kill, pause or restart. Brokers are numbered from 1 ({@code kafka-1} ..
 * {@code kafka-3}); {@code kafka-leader} is whichever broker leads partition 0 of the topic when
 * the fault starts.
 */
public sealed interface Target permits Target.Service, Target.Broker {

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

  /** Parses a target name; a broker number is checked against the topology elsewhere. */
  static Optional<Target> parse(String name) {
    for (Service s : Service.values()) {
      if (s.cliName().equals(name)) {
        return Optional.of(s);
      }
    }
    if (name.matches("kafka-[1-9][0-9]{0,2}")) {
      return Optional.of(new Broker(Integer.parseInt(name.substring("kafka-".length()))));
    }
    return Optional.empty();
  }

  /** The valid target names for a cluster of {@code brokers} brokers. */
  static List<String> names(int brokers) {
    List<String> names = new ArrayList<>();
    names.add(Service.CONSUMER.cliName());
    names.add(Service.PUBLISHER.cliName());
    names.add(Service.POSTGRES.cliName());
    for (int i = 1; i <= brokers; i++) {
      names.add(new Broker(i).cliName());
    }
    names.add(Service.KAFKA_LEADER.cliName());
    return names;
  }
}
