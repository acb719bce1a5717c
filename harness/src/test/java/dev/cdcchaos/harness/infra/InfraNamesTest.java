package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names the infrastructure derives from user input: Kafka listener names and database names. */
class InfraNamesTest {

  @Test
  void linkNamesBecomeValidDistinctListenerNames() {
    assertThat(
            KafkaCluster.Builder.listenerNames(
                List.of("publisher->kafka", "consumer->kafka", "internal", "->")))
        .as("upper case [A-Z0-9_], never clashing with INTERNAL or CONTROLLER")
        .containsExactly(
            org.assertj.core.api.Assertions.entry("publisher->kafka", "PUBLISHER_KAFKA"),
            org.assertj.core.api.Assertions.entry("consumer->kafka", "CONSUMER_KAFKA"),
            org.assertj.core.api.Assertions.entry("internal", "LINK_INTERNAL"),
            org.assertj.core.api.Assertions.entry("->", "LINK_"));
  }

  @Test
  void linksThatMapToTheSameListenerAreRejected() {
    assertThatThrownBy(
            () -> KafkaCluster.Builder.listenerNames(List.of("consumer->kafka", "consumer kafka")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("consumer kafka");
  }

  @Test
  void databaseNamesAreValidIdentifiersWhateverThePrefix() {
    assertThat(LocalInfrastructure.databaseName("No Leak!", 3)).isEqualTo("no_leak_3");
    assertThat(LocalInfrastructure.databaseName("42 things", 1))
        .as("must start with a letter")
        .isEqualTo("db_42_things_1");
    assertThat(LocalInfrastructure.databaseName("x".repeat(100), 12345))
        .as("stays within Postgres' 63-byte identifier limit")
        .hasSizeLessThanOrEqualTo(63)
        .matches("[a-z_][a-z0-9_]*");
  }
}
