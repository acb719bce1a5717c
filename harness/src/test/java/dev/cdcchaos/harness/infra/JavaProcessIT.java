package dev.cdcchaos.harness.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JavaProcessIT {
  private JavaProcess process;

  @AfterEach
  void cleanUp() {
    if (process != null) {
      process.kill();
    }
  }

  @Test
  void runsAMainClassWithArgsEnvAndALogFileAndObeysSignals() throws Exception {
    Path dir = WorkDirs.fresh("java");
    process =
        JavaProcess.builder("ticker", TickingMain.class.getName())
            .args("a", "b")
            .env("TICK_ENV", "set")
            .jvmOptions("-Xmx32m")
            .logFile(dir.resolve("ticker.log"))
            .build();

    process.start();
    awaitTicks(dir.resolve("ticker.log"), 3);
    assertThat(Files.readString(dir.resolve("ticker.log")))
        .as("arguments and environment reach the child")
        .contains("args=a,b env=set");

    process.pause();
    long atPause = ticks(dir.resolve("ticker.log"));
    Thread.sleep(300);
    long afterPause = ticks(dir.resolve("ticker.log"));
    assertThat(afterPause - atPause)
        .as("a paused (SIGSTOP) process makes no progress")
        .isLessThanOrEqualTo(1);
    assertThat(process.isRunning()).as("a paused process is still alive").isTrue();

    process.resume();
    awaitTicks(dir.resolve("ticker.log"), afterPause + 3);

    long pid = process.pid().orElseThrow();
    process.kill();
    assertThat(process.isRunning()).isFalse();
    assertThat(process.exitCode())
        .as("SIGKILL gives exit code 128 + 9")
        .isEqualTo(OptionalInt.of(137));
    assertThat(ProcessHandle.of(pid).map(ChildProcesses::isGone).orElse(true)).isTrue();

    process.restart();
    assertThat(process.pid().orElseThrow()).as("restart starts a new process").isNotEqualTo(pid);
    process.stop();
    assertThat(process.exitCode())
        .as("stop() is a SIGTERM the JVM answers with 128 + 15")
        .isEqualTo(OptionalInt.of(143));
    assertThat(process.awaitExit(Duration.ofSeconds(1))).isEqualTo(OptionalInt.of(143));
  }

  @Test
  void whatAHaltedProcessUnpackedIntoItsTempDirectoryIsGoneAfterwards() throws Exception {
    Path dir = WorkDirs.fresh("java-tmp");
    process =
        JavaProcess.builder("halter", HaltingMain.class.getName())
            .jvmOptions("-Xmx32m")
            .logFile(dir.resolve("halter.log"))
            .build();
    process.start();
    assertThat(process.awaitExit(Duration.ofSeconds(20))).isEqualTo(OptionalInt.of(3));
    String unpacked =
        Files.readAllLines(dir.resolve("halter.log")).stream()
            .filter(l -> l.startsWith("unpacked "))
            .findFirst()
            .orElseThrow()
            .substring("unpacked ".length());
    assertThat(Path.of(unpacked))
        .as("the child's java.io.tmpdir is its own directory, not the machine's /tmp")
        .startsWith(process.tmpDir())
        .exists();

    process.start(); // a supervisor's restart after the crash
    assertThat(process.awaitExit(Duration.ofSeconds(20))).isEqualTo(OptionalInt.of(3));
    assertThat(Path.of(unpacked)).as("emptied before the next start").doesNotExist();
    process.stop();
    assertThat(process.tmpDir()).as("emptied after the stop").doesNotExist();
  }

  private static void awaitTicks(Path log, long atLeast) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (ticks(log) < atLeast) {
      assertThat(System.nanoTime()).as("the child should print ticks").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static long ticks(Path log) throws IOException {
    return Files.readAllLines(log).stream().filter(l -> l.startsWith("tick ")).count();
  }
}
