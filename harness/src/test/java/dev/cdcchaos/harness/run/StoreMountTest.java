package dev.cdcchaos.harness.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreMountTest {

  @TempDir Path dir;

  @Test
  void aTmpfsLeftByAHarnessThatIsGoneIsDetachedAndOneOfALiveHarnessIsKept() throws Exception {
    assumeTrue(StoreMount.whyNot(dir).isEmpty(), "mounting a tmpfs needs root here");
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Path stale = StoreMount.mount(dir.resolve("stale")).dir();
    Path live = StoreMount.mount(dir.resolve("live")).dir();
    try {
      Files.writeString(stale.resolve(StoreMount.OWNER), Long.toString(gone.pid()));
      assertThat(mounted(live)).isTrue();

      assertThat(StoreMount.sweepStale(Path.of("/proc/self/mounts"))).containsExactly(stale);

      assertThat(mounted(stale)).as("the dead harness's tmpfs is detached").isFalse();
      assertThat(mounted(live)).as("this JVM's own tmpfs stays").isTrue();
    } finally {
      new ProcessBuilder("umount", "-l", live.toString()).start().waitFor();
      new ProcessBuilder("umount", "-l", stale.toString()).start().waitFor();
    }
  }

  @Test
  void mountPointsWithSpacesAreReadBack() {
    assertThat(StoreMount.unescape("/tmp/a\\040b\\134c")).isEqualTo("/tmp/a b\\c");
  }

  private static boolean mounted(Path point) throws Exception {
    return Files.readAllLines(Path.of("/proc/self/mounts")).stream()
        .anyMatch(l -> l.split(" ")[1].equals(point.toString()));
  }
}
