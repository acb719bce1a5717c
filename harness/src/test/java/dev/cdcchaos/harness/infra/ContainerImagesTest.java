package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

/** Which images the containers mode uses: official by default, replaced by property or env. */
class ContainerImagesTest {

  @Test
  void withNothingConfiguredTheOfficialImagesAreUsed() {
    ContainerImages images = ContainerImages.configured(name -> null, Map.of());

    assertThat(images.postgres().asCanonicalNameString()).isEqualTo("postgres:15");
    assertThat(images.kafka().asCanonicalNameString()).isEqualTo("apache/kafka:4.1.1");
    assertThat(images.toxiproxy().asCanonicalNameString())
        .isEqualTo("ghcr.io/shopify/toxiproxy:2.12.0");
  }

  @Test
  void aPropertyWinsOverTheEnvironmentAndBlankCountsAsUnset() {
    Map<String, String> props =
        Map.of("cdcchaos.image.kafka", "cdc-chaos/kafka:4.1.1", "cdcchaos.image.postgres", "  ");
    Map<String, String> env =
        Map.of(
            "CDC_CHAOS_IMAGE_KAFKA", "other/kafka:1",
            "CDC_CHAOS_IMAGE_POSTGRES", "cdc-chaos/postgres:15",
            "CDC_CHAOS_IMAGE_TOXIPROXY", "cdc-chaos/toxiproxy:dev");

    ContainerImages images = ContainerImages.configured(props::get, env);

    assertThat(images.kafka().asCanonicalNameString()).isEqualTo("cdc-chaos/kafka:4.1.1");
    assertThat(images.postgres().asCanonicalNameString()).isEqualTo("cdc-chaos/postgres:15");
    assertThat(images.toxiproxy().asCanonicalNameString()).isEqualTo("cdc-chaos/toxiproxy:dev");
  }

  @Test
  void aReplacementIsACompatibleSubstituteForTheOfficialImageAndTheOfficialOneIsNotTouched() {
    ContainerImages images =
        ContainerImages.configured(
            Map.of("cdcchaos.image.toxiproxy", "cdc-chaos/toxiproxy:dev")::get, Map.of());

    assertThat(
            images.toxiproxy().isCompatibleWith(DockerImageName.parse("ghcr.io/shopify/toxiproxy")))
        .isTrue();
    assertThat(images.toxiproxy().isCompatibleWith(DockerImageName.parse("postgres"))).isFalse();
    // an unreplaced image is the official one itself, nothing declared
    assertThat(images.kafka()).isEqualTo(DockerImageName.parse(ContainerImages.KAFKA));
  }

  @Test
  void environmentNamesFollowThePropertyNames() {
    assertThat(ContainerImages.envName(ContainerImages.KAFKA_PROPERTY))
        .isEqualTo("CDC_CHAOS_IMAGE_KAFKA");
    assertThat(ContainerImages.envName(ContainerImages.TOXIPROXY_PROPERTY))
        .isEqualTo("CDC_CHAOS_IMAGE_TOXIPROXY");
  }
}
