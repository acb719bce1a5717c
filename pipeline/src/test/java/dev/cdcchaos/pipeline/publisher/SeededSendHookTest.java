package dev.cdcchaos.pipeline.publisher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.pipeline.control.ControlSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeededSendHookTest {

  private static final List<Integer> BATCH = IntStream.range(0, 200).boxed().toList();

  private static SeededSendHook hook(double dup, int window, double drop, long seed) {
    return new SeededSendHook(new ControlSettings.Send(dup, window, drop, 0, seed));
  }

  @Test
  void noFaultsSendsTheBatchAsItIs() {
    assertThat(hook(0, 0, 0, 1).plan(BATCH))
        .as("no faults: claim order, once each")
        .isEqualTo(BATCH);
  }

  @Test
  void sameSeedSamePlanAcrossBatches() {
    SeededSendHook a = hook(0.2, 10, 0.1, 7);
    SeededSendHook b = hook(0.2, 10, 0.1, 7);
    for (int i = 0; i < 3; i++) {
      assertThat(a.plan(BATCH)).as("batch %d replays from the seed", i).isEqualTo(b.plan(BATCH));
    }
    assertThat(hook(0.2, 10, 0.1, 8).plan(BATCH))
        .as("another seed gives another plan")
        .isNotEqualTo(hook(0.2, 10, 0.1, 7).plan(BATCH));
  }

  @Test
  void everyRecordIsSentAtLeastOnce() {
    List<Integer> plan = hook(0.3, 10, 0.3, 42).plan(BATCH);
    assertThat(new HashSet<>(plan)).as("a delivery fault never loses a record").containsAll(BATCH);
  }

  @Test
  void duplicatesRoughlyTheAskedFraction() {
    List<Integer> plan = hook(0.2, 0, 0, 3).plan(IntStream.range(0, 5000).boxed().toList());
    int duplicates = plan.size() - 5000;
    assertThat(duplicates).as("about 20%% of 5000 sends duplicated").isBetween(850, 1150);
  }

  @Test
  void reorderStaysWithinItsWindow() {
    List<Integer> plan = hook(0, 10, 0, 5).plan(BATCH);
    assertThat(plan).as("reordered, not a copy").isNotEqualTo(BATCH).hasSize(BATCH.size());
    for (int i = 0; i < plan.size(); i++) {
      assertThat(plan.get(i) / 10)
          .as("record %d left its window of 10", plan.get(i))
          .isEqualTo(i / 10);
    }
  }

  @Test
  void droppedRecordsAreRetriedAfterTheRest() {
    List<Integer> plan = hook(0, 0, 0.25, 9).plan(BATCH);
    assertThat(plan)
        .as("each record once")
        .hasSize(BATCH.size())
        .containsExactlyInAnyOrderElementsOf(BATCH);
    List<Integer> descents = new ArrayList<>();
    for (int i = 1; i < plan.size(); i++) {
      if (plan.get(i) < plan.get(i - 1)) {
        descents.add(i);
      }
    }
    assertThat(descents)
        .as("kept records in order, then the retried ones in order: exactly one step back")
        .hasSize(1);
  }

  @Test
  void countsWhatItChanged() {
    SeededSendHook duplicating = hook(0.2, 0, 0, 3);
    List<Integer> plan = duplicating.plan(BATCH);
    assertThat(duplicating.counts())
        .as("every extra send counted as a duplicate, nothing moved")
        .isEqualTo(new SendCounts(1, plan.size() - BATCH.size(), 0, 0));

    SeededSendHook reordering = hook(0, 10, 0, 5);
    List<Integer> shuffled = reordering.plan(BATCH);
    long moved = IntStream.range(0, BATCH.size()).filter(i -> shuffled.get(i) != i).count();
    assertThat(moved).as("a window of 10 over 200 records moves some").isPositive();
    assertThat(reordering.counts()).isEqualTo(new SendCounts(1, 0, moved, 0));

    SeededSendHook idle = hook(0.5, 10, 0, 5);
    idle.plan(List.of());
    assertThat(idle.counts().duplicated() + idle.counts().moved())
        .as("an empty batch gives the fault nothing to change")
        .isZero();
  }

  @Test
  void controlledHookKeepsCountingAcrossSettingChanges() {
    ControlledSendHook controlled = new ControlledSendHook();
    controlled.update(new ControlSettings(null, new ControlSettings.Send(1.0, 0, 0, 0, 1)));
    controlled.plan(List.of(1, 2, 3));
    controlled.update(ControlSettings.NONE);
    controlled.plan(List.of(4, 5, 6));
    assertThat(controlled.counts().duplicated())
        .as("the 3 duplicates of the healed fault are still counted after it healed")
        .isEqualTo(3);
    controlled.update(new ControlSettings(null, new ControlSettings.Send(1.0, 0, 0, 0, 1)));
    controlled.plan(List.of(7));
    assertThat(controlled.counts().duplicated()).isEqualTo(4);
  }
}
