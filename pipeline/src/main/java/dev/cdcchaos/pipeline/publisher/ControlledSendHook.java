package dev.cdcchaos.pipeline.publisher;

import dev.cdcchaos.pipeline.control.ControlSettings;
import java.util.List;
import java.util.Objects;

/**
 * A send hook that follows the control file: {@link SendHook#NONE} while the file asks for no
 * delivery faults, a {@link SeededSendHook} while it does. The seeded hook is rebuilt only when the
 * send settings change, so its random sequence continues across re-reads of an unchanged file.
 */
public final class ControlledSendHook implements SendHook {

  private volatile SendHook current = SendHook.NONE;
  private ControlSettings.Send active;

  /** What the hooks replaced so far changed; the current hook's counts are added on reading. */
  private SendCounts before = SendCounts.NONE;

  /** Adopts the send settings of {@code settings}. */
  public synchronized void update(ControlSettings settings) {
    ControlSettings.Send send = settings.send();
    if (!Objects.equals(send, active)) {
      if (current instanceof SeededSendHook seeded) {
        before = before.plus(seeded.counts());
      }
      active = send;
      current = send == null ? SendHook.NONE : new SeededSendHook(send);
    }
  }

  /** What every hook this one followed changed, since the process started. */
  public synchronized SendCounts counts() {
    return current instanceof SeededSendHook seeded ? before.plus(seeded.counts()) : before;
  }

  @Override
  public <T> List<T> plan(List<T> batch) {
    return current.plan(batch);
  }

  @Override
  public long delayMs() {
    return current.delayMs();
  }
}
