package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LinksTest {

  @Test
  void proxyNamesAreUrlSafeAndNumberedPerLink() {
    assertThat(Links.proxyName("consumer->kafka", 2)).isEqualTo("consumer_to_kafka_2");
    assertThat(Links.proxyName("writer->postgres", 1)).isEqualTo("writer_to_postgres_1");
    assertThat(Links.proxyName(" Odd link/with?chars ", 1))
        .as("anything outside [a-z0-9_.-] becomes _")
        .isEqualTo("odd_link_with_chars_1");
  }
}
