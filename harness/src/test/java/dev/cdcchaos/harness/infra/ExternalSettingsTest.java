package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.harness.infra.ExternalSettings.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How external mode's settings map from a file, the environment and the defaults. */
class ExternalSettingsTest {
  @TempDir Path dir;

  private Path file(String text) throws IOException {
    Path f = dir.resolve("external.properties");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void withNothingGivenTheSettingsAreThoseOfDockerCompose() {
    ExternalSettings s = ExternalSettings.load(Optional.empty(), Map.of());

    assertThat(s.postgresUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(s.postgresHost()).isEqualTo("localhost");
    assertThat(s.postgresPort()).isEqualTo(5432);
    assertThat(s.postgresUser()).isEqualTo("postgres");
    assertThat(s.postgresPassword()).isEqualTo("postgres");
    assertThat(s.postgresUpstream()).isEqualTo(new HostPort("postgres", 5432));
    assertThat(s.kafkaBootstrap()).isEqualTo("localhost:9092");
    assertThat(s.toxiproxyUrl().toString()).isEqualTo("http://localhost:8474");
    assertThat(s.proxyHost()).as("the Toxiproxy host by default").isEqualTo("localhost");
    assertThat(s.writerPostgresListen()).isEqualTo(new HostPort("0.0.0.0", 15432));
    assertThat(s.publisherPostgresListen()).isEqualTo(new HostPort("0.0.0.0", 15433));
    assertThat(s.publisherKafkaListen()).containsExactly(new HostPort("0.0.0.0", 19092));
    assertThat(s.publisherKafkaUpstream()).containsExactly(new HostPort("kafka", 19092));
    assertThat(s.consumerKafkaListen()).containsExactly(new HostPort("0.0.0.0", 29092));
    assertThat(s.consumerKafkaUpstream()).containsExactly(new HostPort("kafka", 29092));
    assertThat(s.brokers()).isEqualTo(1);
  }

  @Test
  void everyKeyHasAnEnvironmentVariable() {
    assertThat(ExternalSettings.envName("postgres.url")).isEqualTo("CDC_CHAOS_POSTGRES_URL");
    assertThat(ExternalSettings.envName("kafka.bootstrap")).isEqualTo("CDC_CHAOS_KAFKA_BOOTSTRAP");
    assertThat(ExternalSettings.envName("toxiproxy.url")).isEqualTo("CDC_CHAOS_TOXIPROXY_URL");
    assertThat(ExternalSettings.envName("proxy.consumer-kafka.upstream"))
        .isEqualTo("CDC_CHAOS_PROXY_CONSUMER_KAFKA_UPSTREAM");
  }

  @Test
  void theEnvironmentOverridesTheDefaultsAndTheFileOverridesTheEnvironment() throws IOException {
    Map<String, String> env =
        Map.of(
            "CDC_CHAOS_POSTGRES_URL", "jdbc:postgresql://db.env:6543/app",
            "CDC_CHAOS_KAFKA_BOOTSTRAP", "kafka.env:9092",
            "CDC_CHAOS_TOXIPROXY_URL", "http://toxi.env:8474",
            "CDC_CHAOS_POSTGRES_PASSWORD", "from-env");
    Path f = file("kafka.bootstrap=kafka.file:9092\npostgres.password=\n");

    ExternalSettings s = ExternalSettings.load(Optional.of(f), env);

    assertThat(s.postgresHost()).as("env over default").isEqualTo("db.env");
    assertThat(s.postgresPort()).isEqualTo(6543);
    assertThat(s.toxiproxyUrl().getHost()).isEqualTo("toxi.env");
    assertThat(s.proxyHost()).as("follows the Toxiproxy host").isEqualTo("toxi.env");
    assertThat(s.kafkaBootstrap()).as("file over env").isEqualTo("kafka.file:9092");
    assertThat(s.postgresPassword()).as("an empty value in the file counts").isEmpty();
  }

  @Test
  void blankEnvironmentValuesCountAsUnset() {
    ExternalSettings s =
        ExternalSettings.load(Optional.empty(), Map.of("CDC_CHAOS_KAFKA_BOOTSTRAP", "  "));

    assertThat(s.kafkaBootstrap()).isEqualTo("localhost:9092");
  }

  @Test
  void severalBrokersAreListedInOrder() throws IOException {
    Path f =
        file(
            String.join(
                "\n",
                "proxy.publisher-kafka.listen=0.0.0.0:19092, 0.0.0.0:19093",
                "proxy.publisher-kafka.upstream=k1:19092,k2:19092",
                "proxy.consumer-kafka.listen=0.0.0.0:29092,0.0.0.0:29093",
                "proxy.consumer-kafka.upstream=k1:29092,k2:29092"));

    ExternalSettings s = ExternalSettings.load(Optional.of(f), Map.of());

    assertThat(s.brokers()).isEqualTo(2);
    assertThat(s.publisherKafkaListen())
        .containsExactly(new HostPort("0.0.0.0", 19092), new HostPort("0.0.0.0", 19093));
    assertThat(s.consumerKafkaUpstream())
        .isEqualTo(List.of(new HostPort("k1", 29092), new HostPort("k2", 29092)));
  }

  @Test
  void listsOfDifferentLengthsAreBadInputNamingBoth() throws IOException {
    Path f = file("proxy.publisher-kafka.listen=0.0.0.0:19092,0.0.0.0:19093\n");

    assertThatThrownBy(() -> ExternalSettings.load(Optional.of(f), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "the default of proxy.publisher-kafka.upstream lists 1 address(es) but "
                + f
                + " key proxy.publisher-kafka.listen lists 2: give one per broker, in broker id"
                + " order");
  }

  @Test
  void anUnknownKeyInTheFileIsBadInputListingTheKeys() throws IOException {
    Path f = file("kafka.bootstrap.servers=localhost:9092\n");

    assertThatThrownBy(() -> ExternalSettings.load(Optional.of(f), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(f + ": unknown key 'kafka.bootstrap.servers'; the keys are ")
        .hasMessageContaining("kafka.bootstrap, toxiproxy.url");
  }

  @Test
  void aBadValueIsNamedWithWhereItCameFrom() throws IOException {
    assertThatThrownBy(
            () ->
                ExternalSettings.load(
                    Optional.empty(), Map.of("CDC_CHAOS_POSTGRES_URL", "postgres://db:5432/x")))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "environment variable CDC_CHAOS_POSTGRES_URL is 'postgres://db:5432/x', not a"
                + " Postgres JDBC URL like jdbc:postgresql://db.example:5432/postgres");
    assertThatThrownBy(
            () ->
                ExternalSettings.load(
                    Optional.of(file("proxy.consumer-kafka.upstream=kafka\n")), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageEndingWith(
            "key proxy.consumer-kafka.upstream has 'kafka', not a host:port with a port from 1"
                + " to 65535");
    assertThatThrownBy(
            () ->
                ExternalSettings.load(
                    Optional.empty(), Map.of("CDC_CHAOS_TOXIPROXY_URL", "localhost:8474")))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("environment variable CDC_CHAOS_TOXIPROXY_URL is 'localhost:8474'");
  }

  @Test
  void onlyPostgresProxiesMayListenOnAnyFreePort() throws IOException {
    assertThat(
            ExternalSettings.load(
                    Optional.of(file("proxy.writer-postgres.listen=127.0.0.1:0\n")), Map.of())
                .writerPostgresListen())
        .isEqualTo(new HostPort("127.0.0.1", 0));
    assertThatThrownBy(
            () ->
                ExternalSettings.load(
                    Optional.of(file("proxy.consumer-kafka.listen=127.0.0.1:0\n")), Map.of()))
        .as("a broker must advertise the port before the proxy exists")
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("not a host:port with a port from 1 to 65535");
  }

  @Test
  void aMissingFileIsBadInputNamingIt() {
    Path missing = dir.resolve("nope.properties");

    assertThatThrownBy(() -> ExternalSettings.load(Optional.of(missing), Map.of()))
        .isInstanceOf(BadInputException.class)
        .hasMessageStartingWith("cannot read the infrastructure settings " + missing);
  }
}
