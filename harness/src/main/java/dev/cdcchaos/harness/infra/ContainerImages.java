package dev.cdcchaos.harness.infra;

import java.util.Map;
import java.util.function.Function;
import org.testcontainers.utility.DockerImageName;

/**
 * The images of the {@code containers} mode, pinned here and only here. Users get the official
 * images; each can be replaced by a system property or an environment variable (the property wins),
 * e.g. {@code -Dcdcchaos.image.kafka=cdc-chaos/kafka:4.1.1} or {@code
 * CDC_CHAOS_IMAGE_KAFKA=cdc-chaos/kafka:4.1.1}. A replacement is declared a compatible substitute
 * for the official image, so Testcontainers' modules accept it. The project's own images ({@code
 * docker/build-images.sh}, tags in {@code docker/images.env}) are such replacements.
 */
public record ContainerImages(
    DockerImageName postgres, DockerImageName kafka, DockerImageName toxiproxy) {

  /** The official images (Postgres major as in local mode's Debian 12, Kafka as the build's). */
  public static final String POSTGRES = "postgres:15";

  public static final String KAFKA = "apache/kafka:4.1.1";
  public static final String TOXIPROXY = "ghcr.io/shopify/toxiproxy:2.12.0";

  /** The system properties that replace an image. */
  public static final String POSTGRES_PROPERTY = "cdcchaos.image.postgres";

  public static final String KAFKA_PROPERTY = "cdcchaos.image.kafka";
  public static final String TOXIPROXY_PROPERTY = "cdcchaos.image.toxiproxy";

  /** The images configured by system properties and the environment, else the official ones. */
  public static ContainerImages configured() {
    return configured(System::getProperty, System.getenv());
  }

  static ContainerImages configured(Function<String, String> properties, Map<String, String> env) {
    return new ContainerImages(
        image(POSTGRES, POSTGRES_PROPERTY, properties, env),
        image(KAFKA, KAFKA_PROPERTY, properties, env),
        image(TOXIPROXY, TOXIPROXY_PROPERTY, properties, env));
  }

  /** {@code cdcchaos.image.kafka} -> {@code CDC_CHAOS_IMAGE_KAFKA}. */
  static String envName(String property) {
    return "CDC_CHAOS_" + property.substring("cdcchaos.".length()).replace('.', '_').toUpperCase();
  }

  private static DockerImageName image(
      String official,
      String property,
      Function<String, String> properties,
      Map<String, String> env) {
    String value = properties.apply(property);
    if (value == null || value.isBlank()) {
      value = env.get(envName(property));
    }
    DockerImageName officialName = DockerImageName.parse(official);
    if (value == null || value.isBlank()) {
      return officialName;
    }
    return DockerImageName.parse(value.strip())
        .asCompatibleSubstituteFor(officialName.getUnversionedPart());
  }

  /** For progress lines and reports: {@code postgres:15, apache/kafka:4.1.1, ...}. */
  public String describe() {
    return postgres.asCanonicalNameString()
        + ", "
        + kafka.asCanonicalNameString()
        + ", "
        + toxiproxy.asCanonicalNameString();
  }
}
