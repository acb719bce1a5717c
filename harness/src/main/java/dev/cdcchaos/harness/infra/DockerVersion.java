package dev.cdcchaos.harness.infra;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local Docker engine's version and the highest API version it speaks, asked on its socket
 * ({@code GET /version}) for the one-line description of a containers infrastructure; {@link
 * DockerEngine} tells whether one answers at all. (Testcontainers 2.0.5 asks for API 1.44 first and
 * still works with Debian 12's docker.io 20.10, which speaks 1.41: checked here, nothing to pin.)
 *
 * <p>Only a unix socket ({@code DOCKER_HOST=unix://...} or {@code /var/run/docker.sock}) is probed;
 * for a TCP {@code DOCKER_HOST} the version is "unknown".
 */
public record DockerVersion(String version, String apiVersion) {

  private static final Pattern VERSION = Pattern.compile("\"Version\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern API = Pattern.compile("\"ApiVersion\"\\s*:\\s*\"([^\"]+)\"");

  /**
   * The engine on the local socket, or empty with {@code why} filled in: no socket, nothing
   * answering, or an answer that is not Docker's.
   */
  public static Optional<DockerVersion> probe(StringBuilder why) {
    String host = System.getenv("DOCKER_HOST");
    Path socket;
    if (host == null || host.isBlank()) {
      socket = Path.of("/var/run/docker.sock");
    } else if (host.startsWith("unix://")) {
      socket = Path.of(host.substring("unix://".length()));
    } else {
      why.append("DOCKER_HOST=").append(host).append(" is not a unix socket: not probed");
      return Optional.of(new DockerVersion("unknown", "unknown"));
    }
    if (!Files.exists(socket)) {
      why.append("no Docker engine: ")
          .append(socket)
          .append(
              " does not exist (install one, e.g. apt-get install docker.io, and start dockerd)");
      return Optional.empty();
    }
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(
          ByteBuffer.wrap(
              "GET /version HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (channel.read(buffer) >= 0 && System.nanoTime() < deadline) {
        out.write(buffer.array(), 0, buffer.position());
        buffer.clear();
      }
      String answer = out.toString(StandardCharsets.UTF_8);
      Matcher v = VERSION.matcher(answer);
      Matcher a = API.matcher(answer);
      if (!answer.startsWith("HTTP/1.") || !v.find() || !a.find()) {
        why.append("no Docker engine: ")
            .append(socket)
            .append(" answered something else: ")
            .append(answer.lines().findFirst().orElse("(nothing)"));
        return Optional.empty();
      }
      return Optional.of(new DockerVersion(v.group(1), a.group(1)));
    } catch (IOException e) {
      why.append("no Docker engine answers on ")
          .append(socket)
          .append(" (")
          .append(e.getMessage())
          .append("): start dockerd, e.g. `dockerd > /var/log/dockerd.log 2>&1 &`");
      return Optional.empty();
    }
  }
}
