package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which API version docker-java is pinned to: only an engine older than Testcontainers asks. */
class DockerVersionTest {

  @Test
  void versionsCompareNumericallyNotAsText() {
    assertThat(DockerVersion.compare("1.41", "1.44")).isNegative();
    assertThat(DockerVersion.compare("1.100", "1.44")).isPositive();
    assertThat(DockerVersion.compare("1.44", "1.44.0")).isZero();
  }

  @Test
  void anEngineAsNewAsTestcontainersAsksForIsNotPinnedAnOlderOneIs() {
    String before = System.getProperty(DockerVersion.API_VERSION_PROPERTY);
    try {
      System.clearProperty(DockerVersion.API_VERSION_PROPERTY);
      assertThat(new DockerVersion("29.0.0", "1.52").pinApiVersion()).isEmpty();
      assertThat(new DockerVersion("x", "unknown").pinApiVersion()).isEmpty();
      assertThat(System.getProperty(DockerVersion.API_VERSION_PROPERTY)).isNull();
      if (System.getenv("DOCKER_API_VERSION") == null) {
        assertThat(new DockerVersion("20.10.24", "1.41").pinApiVersion()).contains("1.41");
        assertThat(System.getProperty(DockerVersion.API_VERSION_PROPERTY)).isEqualTo("1.41");
        // someone's choice is kept
        assertThat(new DockerVersion("19.03", "1.40").pinApiVersion()).isEmpty();
        assertThat(System.getProperty(DockerVersion.API_VERSION_PROPERTY)).isEqualTo("1.41");
      }
    } finally {
      if (before == null) {
        System.clearProperty(DockerVersion.API_VERSION_PROPERTY);
      } else {
        System.setProperty(DockerVersion.API_VERSION_PROPERTY, before);
      }
    }
  }
}
