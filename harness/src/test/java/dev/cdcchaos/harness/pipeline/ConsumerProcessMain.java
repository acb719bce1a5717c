package dev.cdcchaos.harness.pipeline;

import dev.cdcchaos.pipeline.consumer.ConsumerService;
import dev.cdcchaos.pipeline.consumer.ConsumerSettings;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.control.HaltingCrashPoints;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * A consumer process for {@link ConsumerIT}: {@code <bootstrap> <topic> <warehouse> <lake> <status>
 * <batchSize> <crashPoint|none> <afterHits>}. Halts (137) at the armed crash point like a {@code
 * kill -9}; stops by itself after 5 s without records; SIGTERM stops it gracefully.
 */
public final class ConsumerProcessMain {
  private ConsumerProcessMain() {}

  public static void main(String[] args) throws Exception {
    HaltingCrashPoints crash = new HaltingCrashPoints();
    if (!args[6].equals("none")) {
      crash.arm(new ControlSettings.Crash(args[6], Integer.parseInt(args[7])));
    }
    ConsumerSettings settings =
        ConsumerSettings.of(args[0], Path.of(args[2]), Path.of(args[3]))
            .withTopic(args[1])
            .withStatusFile(Path.of(args[4]))
            .withBatchSize(Integer.parseInt(args[5]))
            .withBounds(0, Duration.ofSeconds(5));
    ConsumerService service = new ConsumerService(settings, crash, Clock.systemUTC());
    service.stopOnShutdown();
    service.run();
  }
}
