package dev.cdcchaos.harness.net;

import static org.assertj.core.api.Assertions.assertThat;

import eu.rekawek.toxiproxy.Proxy;
import eu.rekawek.toxiproxy.ToxiproxyClient;
import eu.rekawek.toxiproxy.model.Toxic;
import eu.rekawek.toxiproxy.model.ToxicDirection;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many clients echo random payloads while toxics that only delay or reshape data (latency, slicer,
 * bandwidth) come and go under them: every byte must come back intact and in order, and no API call
 * or connection may hang. Seeded: a failure replays with the same seed.
 */
class ToxicChurnIT {
  private static final long SEED = 20261124L;

  @Test
  void reshapingToxicsNeverCorruptReorderOrHang() throws Exception {
    try (ToxiproxyServer server = ToxiproxyServer.start(SEED);
        TcpPeer echo = TcpPeer.echo()) {
      ToxiproxyClient client = new ToxiproxyClient(server.host(), server.port());
      Proxy proxy = client.createProxy("churn", "127.0.0.1:0", "127.0.0.1:" + echo.port());
      int port = ToxiproxyServerIT.port(proxy);
      int clients = 16;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      AtomicInteger roundTrips = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<?>> workers = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        SplittableRandom random = new SplittableRandom(SEED + c);
        workers.add(
            pool.submit(
                () -> {
                  try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(10_000);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = socket.getInputStream();
                    while (!stop.get()) {
                      byte[] payload = new byte[1 + random.nextInt(8_000)];
                      for (int i = 0; i < payload.length; i++) {
                        payload[i] = (byte) random.nextInt(256);
                      }
                      out.write(payload);
                      byte[] back = in.readNBytes(payload.length);
                      assertThat(Arrays.equals(back, payload))
                          .as("echo of %d bytes comes back intact and in order", payload.length)
                          .isTrue();
                      roundTrips.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      SplittableRandom chaos = new SplittableRandom(SEED);
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      int changes = 0;
      while (System.nanoTime() < until) {
        ToxicDirection stream =
            chaos.nextBoolean() ? ToxicDirection.UPSTREAM : ToxicDirection.DOWNSTREAM;
        String name = "t" + changes;
        switch (chaos.nextInt(4)) {
          case 0 -> proxy.toxics().latency(name, stream, chaos.nextInt(1, 20)).setJitter(5);
          case 1 ->
              proxy.toxics().slicer(name, stream, chaos.nextInt(1, 500), 100).setSizeVariation(1);
          case 2 -> proxy.toxics().bandwidth(name, stream, chaos.nextInt(500, 5_000));
          default -> {
            List<? extends Toxic> toxics = proxy.toxics().getAll();
            if (!toxics.isEmpty()) {
              toxics.get(chaos.nextInt(toxics.size())).remove();
            }
          }
        }
        changes++;
        if (proxy.toxics().getAll().size() > 4) {
          proxy.toxics().getAll().get(0).remove();
        }
        Thread.sleep(20);
      }
      client.reset();
      stop.set(true);
      for (Future<?> worker : workers) {
        worker.get(20, TimeUnit.SECONDS);
      }
      pool.shutdownNow();
      System.out.printf(
          "toxic churn: %d toxic changes, %d intact round trips over %d connections%n",
          changes, roundTrips.get(), clients);
      assertThat(roundTrips.get())
          .as("clients made progress under churn")
          .isGreaterThan(clients * 5);
    }
  }
}
