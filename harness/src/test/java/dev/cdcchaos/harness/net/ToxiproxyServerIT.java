package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The in-JVM Toxiproxy as a plain TCP proxy, driven through toxiproxy-java. */
class ToxiproxyServerIT {
  private ToxiproxyServer server;
  private ToxiproxyClient client;
  private TcpPeer echo;

  @BeforeEach
  void start() throws Exception {
    server = ToxiproxyServer.start(42);
    client = new ToxiproxyClient(server.host(), server.port());
    echo = TcpPeer.echo();
  }

  @AfterEach
  void stop() throws Exception {
    echo.close();
    server.close();
  }

  @Test
  void proxiesBytesBothWays() throws Exception {
    Proxy proxy = client.createProxy("echo", "127.0.0.1:0", "127.0.0.1:" + echo.port());
    int port =
        Integer.parseInt(proxy.getListen().substring(proxy.getListen().lastIndexOf(':') + 1));
    assertThat(port).as("listen on port 0 reports the bound port").isPositive();

    try (Socket socket = new Socket("127.0.0.1", port)) {
      byte[] hello = "hello through the proxy".getBytes(StandardCharsets.UTF_8);
      OutputStream out = socket.getOutputStream();
      out.write(hello);
      InputStream in = socket.getInputStream();
      byte[] back = in.readNBytes(hello.length);
      assertThat(new String(back, StandardCharsets.UTF_8))
          .as("the echo server's answer comes back through the proxy")
          .isEqualTo("hello through the proxy");
    }
    assertThat(client.version()).as("version endpoint").contains(ToxiproxyServer.VERSION);
  }
}
