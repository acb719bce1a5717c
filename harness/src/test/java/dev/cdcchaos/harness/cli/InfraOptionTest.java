package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --infra} and {@code --infra-config} on the commands that run servers: bad input exits 2.
 */
class InfraOptionTest extends CliTestBase {
  @TempDir Path dir;

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Path scenario() throws IOException {
    Path f = dir.resolve("s.yaml");
    Files.writeString(
        f, "seed: 1\nworkload: { orders: 1 }\nexpect: { invariants: all, converge_within: 5s }\n");
    return f;
  }

  @Test
  void anUnknownModeExits2NamingTheChoices() throws IOException {
    int code = run("run", "--infra", "k8s", "--reports", dir.toString(), scenario().toString());

    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo(
            "cdc-chaos: unknown infrastructure 'k8s': use one of local, containers, external");
  }

  @Test
  void anUnreachableToxiproxyExits2WithOneLineNamingItAndItsUrl() throws IOException {
    int port = closedPort();
    Path settings = dir.resolve("external.properties");
    Files.writeString(settings, "toxiproxy.url=http://127.0.0.1:" + port + "\n");

    int code =
        run(
            "run",
            "--infra",
            "external",
            "--infra-config",
            settings.toString(),
            "--reports",
            dir.toString(),
            scenario().toString());

    assertThat(code).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo(
            "cdc-chaos: cannot reach Toxiproxy at http://127.0.0.1:"
                + port
                + ": connection refused (toxiproxy.url, CDC_CHAOS_TOXIPROXY_URL)");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void anUnreachablePostgresExits2NamingItsUrl() throws IOException {
    int pg = closedPort();
    // a Toxiproxy API that answers /version, so the Postgres check is reached
    try (var toxiproxy = dev.cdcchaos.harness.net.ToxiproxyServer.start()) {
      Path settings = dir.resolve("external.properties");
      Files.writeString(
          settings,
          "toxiproxy.url="
              + toxiproxy.url()
              + "\npostgres.url=jdbc:postgresql://127.0.0.1:"
              + pg
              + "/postgres\npostgres.password=secret\n");

      int code = run("doctor", "--infra", "external", "--infra-config", settings.toString());

      assertThat(code).isEqualTo(Main.BAD_INPUT);
      assertThat(err.toString().strip())
          .startsWith(
              "cdc-chaos: cannot reach Postgres at jdbc:postgresql://127.0.0.1:" + pg + "/postgres")
          .doesNotContain("secret")
          .doesNotContain("\n");
    }
  }

  @Test
  void everyCommandThatRunsServersTakesTheOption() {
    for (String command : new String[] {"run", "demo", "search", "matrix", "doctor"}) {
      assertThat(
              Main.commandLine()
                  .getSubcommands()
                  .get(command)
                  .getCommandSpec()
                  .findOption("--infra"))
          .as(command)
          .isNotNull();
      assertThat(
              Main.commandLine()
                  .getSubcommands()
                  .get(command)
                  .getCommandSpec()
                  .findOption("--infra-config"))
          .as(command)
          .isNotNull();
    }
  }
}
