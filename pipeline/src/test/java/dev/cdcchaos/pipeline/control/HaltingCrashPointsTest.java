package dev.cdcchaos.pipeline.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

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
}
