package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.infra.ChildProcesses;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DoctorCommandIT {

  @Test
  void checksEveryNodeAndStopsEverything() {
    Run run = doctor();
    assertThat(run.exit)
        .as("doctor passes on this machine; output:%n%s%s", run.out, run.err)
        .isZero();
    assertThat(run.out)
        .contains("[ ok ] Postgres SQL round trip through the writer->postgres proxy")
        .contains("[ ok ] a partition of consumer->kafka stalls the consumer")
        .contains("[ ok ] healing resumes it")
        .containsPattern("start-up: postgres \\d+\\.\\d s, kafka \\(1 node\\(s\\)\\) \\d+\\.\\d s")
        .doesNotContain("FAIL");
    assertThat(
            ProcessHandle.current()
                .descendants()
                .map(ChildProcesses::commandLine)
                .filter(c -> c.contains("cdc-chaos-doctor-"))
                .toList())
        .as("doctor leaves no process behind")
        .isEmpty();
  }

  @Test
  void aBusyPostgresPortExitsTwoWithTheReason() throws Exception {
    try (ServerSocket busy = new ServerSocket()) {
      busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      Run run = doctor("--postgres-port", Integer.toString(busy.getLocalPort()));
      assertThat(run.exit).as("a busy port is an environment problem").isEqualTo(Main.BAD_INPUT);
      assertThat(run.err).contains("port " + busy.getLocalPort()).contains("in use");
    }
  }

  @Test
  void missingPostgresBinariesExitTwoNamingThePackage() throws Exception {
    Path empty = Files.createTempDirectory("no-postgres");
    Run run = doctor("--pg-bindir", empty.toString());
    assertThat(run.exit).isEqualTo(Main.BAD_INPUT);
    assertThat(run.err)
        .as("the message says what to install")
        .contains("apt-get install postgresql");
  }

  private static Run doctor(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 1];
    all[0] = "doctor";
    System.arraycopy(args, 0, all, 1, args.length);
    int exit = cli.execute(all);
    return new Run(exit, out.toString(), err.toString());
  }

  private record Run(int exit, String out, String err) {}
}
