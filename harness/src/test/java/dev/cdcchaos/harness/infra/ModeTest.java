package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.harness.BadInputException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Choosing the infrastructure: the names, the property over the environment, local by default. */
class ModeTest {

  @Test
  void parsesEveryModeByItsCliNameInAnyCase() {
    assertThat(Mode.parse("local")).isEqualTo(Mode.LOCAL);
    assertThat(Mode.parse(" Containers ")).isEqualTo(Mode.CONTAINERS);
    assertThat(Mode.parse("EXTERNAL")).isEqualTo(Mode.EXTERNAL);
    assertThat(Mode.EXTERNAL.cliName()).isEqualTo("external");
  }

  @Test
  void anUnknownModeIsBadInputNamingTheValueAndTheChoices() {
    assertThatThrownBy(() -> Mode.parse("docker"))
        .isInstanceOf(BadInputException.class)
        .hasMessage("unknown infrastructure 'docker': use one of local, containers, external");
  }

  @Test
  void localIsTheDefault() {
    assertThat(Mode.configured(k -> null, Map.of())).isEqualTo(Mode.LOCAL);
    assertThat(Mode.configured(k -> " ", Map.of(Mode.ENV, ""))).isEqualTo(Mode.LOCAL);
  }

  @Test
  void theSystemPropertyWinsOverTheEnvironment() {
    assertThat(Mode.configured(k -> null, Map.of(Mode.ENV, "external"))).isEqualTo(Mode.EXTERNAL);
    assertThat(
            Mode.configured(
                k -> k.equals(Mode.PROPERTY) ? "local" : null, Map.of(Mode.ENV, "external")))
        .isEqualTo(Mode.LOCAL);
  }

  @Test
  void aBadConfiguredValueIsBadInputToo() {
    assertThatThrownBy(() -> Mode.configured(k -> null, Map.of(Mode.ENV, "k8s")))
        .isInstanceOf(BadInputException.class)
        .hasMessageContaining("'k8s'");
  }

  @Test
  void containersWithoutAnEngineIsOneLineSayingHowToGetOne() {
    assertThatThrownBy(
            () ->
                Infrastructures.requireDocker(
                    java.util.Optional.of(
                        "/var/run/docker.sock does not exist and DOCKER_HOST is not set")))
        .isInstanceOf(BadInputException.class)
        .hasMessage(
            "--infra containers needs a Docker engine and none answers here (/var/run/docker.sock"
                + " does not exist and DOCKER_HOST is not set): install one (e.g. apt-get install"
                + " docker.io, then start dockerd; or Docker Desktop) or point DOCKER_HOST at one;"
                + " --infra local needs no Docker");
    Infrastructures.requireDocker(java.util.Optional.empty());
  }
}
