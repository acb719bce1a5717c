package dev.cdcchaos.pipeline.publisher;

import dev.cdcchaos.pipeline.control.ControlSettings;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Delivery faults drawn from a seed, so the same seed and the same batches give the same sends:
 * records shuffled within windows of {@code reorderWindow}, a fraction dropped on the first attempt
 * and retried after the rest of the batch, a fraction sent a second time at a random later point of
 * the batch.
 */
public final class SeededSendHook implements SendHook {

  private final ControlSettings.Send settings;
  private final Random random;
  private SendCounts counts = SendCounts.NONE;

  public SeededSendHook(ControlSettings.Send settings) {
    this.settings = settings;
    this.random = new Random(settings.seed());
  }

  /** The settings this hook was built from. */
  public ControlSettings.Send settings() {
    return settings;
  }

  /** What this hook changed so far: duplicated, moved and retried sends. */
  public synchronized SendCounts counts() {
    return counts;
  }

  @Override
  public synchronized <T> List<T> plan(List<T> batch) {
    List<T> order = new ArrayList<>(batch);
    int window = settings.reorderWindow();
    if (window > 1) {
      for (int from = 0; from < order.size(); from += window) {
        Collections.shuffle(order.subList(from, Math.min(order.size(), from + window)), random);
      }
    }
    List<T> firstTry = new ArrayList<>(order.size());
    List<T> retries = new ArrayList<>();
    for (T record : order) {
      if (random.nextDouble() < settings.dropThenRetryFraction()) {
        retries.add(record);
      } else {
        firstTry.add(record);
      }
    }
    firstTry.addAll(retries);
    List<T> plan = new ArrayList<>(firstTry);
    for (int i = 0; i < firstTry.size(); i++) {
      if (random.nextDouble() < settings.duplicateFraction()) {
        int at = plan.indexOf(firstTry.get(i)) + 1;
        plan.add(at + random.nextInt(plan.size() - at + 1), firstTry.get(i));
      }
    }
    long moved = 0;
    for (int i = 0; i < order.size(); i++) {
      // identity: a batch may hold equal records, and only a change of position counts
      if (order.get(i) != batch.get(i)) {
        moved++;
      }
    }
    counts = counts.plus(new SendCounts(1, plan.size() - firstTry.size(), moved, retries.size()));
    return plan;
  }

  @Override
  public long delayMs() {
    return settings.delayMs();
  }
}
