package dev.cdcchaos.harness.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback TCP server for the network tests: echoes what it reads (or only counts it), and
 * records how many bytes arrived and in which read sizes, so a test can see a toxic on the wire.
 */
final class TcpPeer implements AutoCloseable {
  private final ServerSocket server;
  private final boolean echo;
  private final AtomicLong received = new AtomicLong();
  private final List<Integer> readSizes = new CopyOnWriteArrayList<>();
  private final List<Socket> accepted = new CopyOnWriteArrayList<>();

  private TcpPeer(boolean echo) throws IOException {
    this.echo = echo;
    this.server = new ServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    Thread acceptor = new Thread(this::acceptLoop, "tcp-peer-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  static TcpPeer echo() throws IOException {
    return new TcpPeer(true);
  }

  static TcpPeer sink() throws IOException {
    return new TcpPeer(false);
  }

  int port() {
    return server.getLocalPort();
  }

  long received() {
    return received.get();
  }

  List<Integer> readSizes() {
    return List.copyOf(readSizes);
  }

  int acceptedCount() {
    return accepted.size();
  }

  /** Closes every accepted connection from the server side (a FIN towards the proxy). */
  void closeConnections() throws IOException {
    for (Socket socket : accepted) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        accepted.add(socket);
        Thread worker = new Thread(() -> serve(socket), "tcp-peer-conn");
        worker.setDaemon(true);
        worker.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    byte[] buffer = new byte[64 * 1024];
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int read;
      while ((read = in.read(buffer)) >= 0) {
        received.addAndGet(read);
        readSizes.add(read);
        if (echo) {
          out.write(buffer, 0, read);
        }
      }
    } catch (IOException e) {
      // the peer went away; the test looks at what arrived before
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    closeConnections();
  }
}
