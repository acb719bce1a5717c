package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a Docker engine answers here, asked the way the Docker CLI would find it: {@code
 * DOCKER_HOST} ({@code unix://} or {@code tcp://}), else {@code /var/run/docker.sock}. Sends {@code
 * GET /_ping} and expects {@code OK}; needs neither the Docker CLI nor Testcontainers.
 */
public final class DockerEngine {
  static final Path DEFAULT_SOCKET = Path.of("/var/run/docker.sock");

  private DockerEngine() {}

  /** Why no Docker engine can be used here; empty when one answers. */
  public static Optional<String> unavailable() {
    return unavailable(System.getenv(), DEFAULT_SOCKET);
  }

  static Optional<String> unavailable(Map<String, String> env, Path defaultSocket) {
    String host = env.getOrDefault("DOCKER_HOST", "");
    try {
      if (host.isBlank() || host.startsWith("unix://")) {
        Path socket = host.isBlank() ? defaultSocket : Path.of(host.substring("unix://".length()));
        if (!Files.exists(socket)) {
          return Optional.of(
              socket + " does not exist" + (host.isBlank() ? " and DOCKER_HOST is not set" : ""));
        }
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
          ch.write(ByteBuffer.wrap(ping()));
          return answer(Channels.newInputStream(ch), socket.toString());
        }
      }
      if (host.startsWith("tcp://")) {
        URI uri = URI.create(host);
        try (Socket s = new Socket()) {
          s.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), 3_000);
          s.setSoTimeout(5_000);
          OutputStream out = s.getOutputStream();
          out.write(ping());
          out.flush();
          return answer(s.getInputStream(), host);
        }
      }
      return Optional.of("DOCKER_HOST=" + host + " is neither unix:// nor tcp://");
    } catch (IOException | RuntimeException e) {
      return Optional.of(
          "the engine at " + (host.isBlank() ? defaultSocket : host) + " does not answer: " + e);
    }
  }

  private static byte[] ping() {
    return "GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  }

  private static Optional<String> answer(InputStream in, String where) throws IOException {
    String reply = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
    if (reply.startsWith("HTTP/1.") && reply.contains(" 200 ") && reply.endsWith("OK")) {
      return Optional.empty();
    }
    int nl = reply.indexOf('\r');
    return Optional.of(
        "the engine at "
            + where
            + " answered _ping with "
            + (reply.isEmpty() ? "nothing" : reply.substring(0, nl < 0 ? reply.length() : nl)));
  }
}
