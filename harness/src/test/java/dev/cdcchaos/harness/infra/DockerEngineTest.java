package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Telling whether a Docker engine answers, without one: a missing socket, a fake engine. */
class DockerEngineTest {
  @TempDir Path dir;

  @Test
  void aMissingSocketSaysWhichAndThatDockerHostIsUnset() {
    Path socket = dir.resolve("docker.sock");

    assertThat(DockerEngine.unavailable(Map.of(), socket))
        .contains(socket + " does not exist and DOCKER_HOST is not set");
    assertThat(DockerEngine.unavailable(Map.of("DOCKER_HOST", "unix://" + socket), socket))
        .contains(socket + " does not exist");
  }

  @Test
  void anEngineOverTcpThatAnswersPingIsAvailableAndOneThatDoesNotIsNot() throws Exception {
    assertThat(withFakeEngine("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK")).isEmpty();
    assertThat(withFakeEngine("HTTP/1.1 500 Internal Server Error\r\n\r\n"))
        .hasValueSatisfying(
            why ->
                assertThat(why).contains("answered _ping with HTTP/1.1 500 Internal Server Error"));
  }

  @Test
  void nothingListeningIsUnavailable() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    assertThat(
            DockerEngine.unavailable(
                Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + port), dir.resolve("x.sock")))
        .hasValueSatisfying(why -> assertThat(why).contains("does not answer"));
  }

  private java.util.Optional<String> withFakeEngine(String reply) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread engine =
          new Thread(
              () -> {
                try (Socket s = server.accept()) {
                  InputStream in = s.getInputStream();
                  StringBuilder request = new StringBuilder();
                  while (!request.toString().endsWith("\r\n\r\n")) {
                    int b = in.read();
                    if (b < 0) {
                      return;
                    }
                    request.append((char) b);
                  }
                  OutputStream out = s.getOutputStream();
                  out.write(reply.getBytes(StandardCharsets.US_ASCII));
                  out.flush();
                } catch (IOException e) {
                  // the test sees no answer
                }
              });
      engine.start();
      java.util.Optional<String> why =
          DockerEngine.unavailable(
              Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + server.getLocalPort()),
              dir.resolve("x.sock"));
      engine.join(5_000);
      return why;
    }
  }
}
