package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.SnapshotsFixture.complete;
import static dev.cdcchaos.harness.check.SnapshotsFixture.early;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.history.Op;
import dev.cdcchaos.harness.model.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VisibilityTest {

  private static Op committed(Event e, long ms) {
    return new Op(
        0,
        ms * 1_000_000,
        "writer-" + e.orderId() % 2,
        Op.Type.OK,
        "create",
        Map.of("event", e.eventId(), "version", e.version()));
  }

  @Test
  void eachEventIsSeenByTheFirstSnapshotThatReachedItsVersion() {
    List<Op> history = new ArrayList<>();
    List<Event> outbox = Fixture.outbox();
    // the three v1 creates of orders 1..3 at 50 ms, the rest at 200 ms
    for (Event e : outbox) {
      history.add(committed(e, e.version() == 1 && e.orderId() < 4 ? 50 : 200));
    }
    Observation o =
        Fixture.healthy().toBuilder()
            .snapshots(List.of(early(0, 100), early(1, 350), complete(2, 600)))
            .history(history)
            .build();
    Visibility v = Visibility.of(o).orElseThrow();
    assertThat(v.events()).isEqualTo(7);
    assertThat(v.seen()).isEqualTo(7);
    // three seen after 50 ms (100 - 50), four after 400 ms (600 - 200)
    assertThat(v.p50Ms()).isEqualTo(400);
    assertThat(v.maxMs()).isEqualTo(400);
    assertThat(v.unseen())
        .extracting(Visibility.Point::unseen)
        .as("unseen at each snapshot")
        .containsExactly(0L, 4L, 0L);
  }

  @Test
  void withoutSnapshotsThereIsNoFigure() {
    assertThat(Visibility.of(Fixture.healthy())).isEmpty();
  }
}
