package dev.cdcchaos.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaltingCrashPointsTest {

  private final List<Integer> halts = new ArrayList<>();
  private final HaltingCrashPoints points = new HaltingCrashPoints(halts::add);

  @Test
  void haltsOnTheNthHitOfTheArmedPointOnly() {
    points.arm(new ControlSettings.Crash("publisher.before-mark", 2));
    points.reach("publisher.after-send");
    points.reach("publisher.before-mark");
    assertThat(halts).as("first hit of an afterHits=2 crash does not halt").isEmpty();
    points.reach("publisher.before-mark");
    assertThat(halts).as("second hit halts with 137").containsExactly(137);
  }

  @Test
  void rearmingTheSameCrashKeepsTheCountAndDisarmingStops() {
    points.arm(new ControlSettings.Crash("consumer.after-lake", 2));
    points.reach("consumer.after-lake");
    points.arm(new ControlSettings.Crash("consumer.after-lake", 2));
    points.reach("consumer.after-lake");
    assertThat(halts).as("an unchanged control file must not postpone the crash").hasSize(1);
    points.arm(null);
    points.reach("consumer.after-lake");
    assertThat(halts).as("disarmed").hasSize(1);
  }

  @Test
  void nothingArmedNeverHalts() {
    points.reach("publisher.before-mark");
    assertThat(halts).isEmpty();
  }

  @Test
  void writesTheHaltedPointToTheMarkerBeforeHalting(@TempDir Path dir) {
    Path marker = Control.haltMarker(dir.resolve("consumer-control.json"));
    assertThat(marker.getFileName()).hasToString("consumer-control.halted");
    List<Boolean> markerAtHalt = new ArrayList<>();
    HaltingCrashPoints marking =
        new HaltingCrashPoints(status -> markerAtHalt.add(Files.exists(marker)), marker);
    marking.arm(new ControlSettings.Crash("consumer.after-lake", 1));
    marking.reach("consumer.mid-batch");
    assertThat(HaltingCrashPoints.readMarker(marker))
        .as("a point reached without halting leaves no marker")
        .isEmpty();
    marking.reach("consumer.after-lake");
    assertThat(markerAtHalt)
        .as("the marker exists when the JVM halts, so a kill -9 cannot lose it")
        .containsExactly(true);
    assertThat(HaltingCrashPoints.readMarker(marker))
        .as("the marker names the point the process halted at")
        .contains("consumer.after-lake");
  }
}
