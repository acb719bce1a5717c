package dev.cdcchaos.harness.check;

import static dev.cdcchaos.harness.check.Fixture.event;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.check.Observation.CustomerTotal;
import dev.cdcchaos.harness.model.Event;
import dev.cdcchaos.harness.model.OrderState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FoldTest {

  @Test
  void highestVersionWinsWhateverTheOrder() {
    List<Event> events = new ArrayList<>(Fixture.outbox());
    Map<Long, OrderState> inOrder = Fold.orders(events);
    for (long seed = 1; seed <= 20; seed++) {
      Collections.shuffle(events, new Random(seed));
      assertThat(Fold.orders(events))
          .as("fold must not depend on delivery order (shuffle seed %d)", seed)
          .isEqualTo(inOrder);
    }
    assertThat(inOrder.get(1L).version()).as("order 1 was updated to v2").isEqualTo(2);
    assertThat(inOrder.get(1L).status()).isEqualTo("PAID");
  }

  @Test
  void tombstonesAreKeptByOrdersAndDroppedByLive() {
    Map<Long, OrderState> fold = Fold.orders(Fixture.outbox());
    assertThat(fold.get(3L).deleted()).as("a delete folds to a tombstone").isTrue();
    assertThat(Fold.live(fold))
        .as("the source has no row for a deleted order")
        .doesNotContainKey(3L);
    assertThat(Fold.live(fold)).containsKeys(1L, 2L, 4L);
  }

  @Test
  void sameVersionTwiceKeepsTheFirst() {
    Event first = event(5, 1, Event.ORDER_CREATED, 1, "NEW", 100);
    Event clash = event(5, 1, Event.ORDER_CREATED, 1, "NEW", 999);
    assertThat(Fold.orders(List.of(first, clash)).get(5L).totalCents())
        .as("a duplicate version must not replace the state already folded")
        .isEqualTo(100);
  }

  @Test
  void customerTotalsCountLiveOrdersAndRevenueOfLiveUncancelledOnes() {
    Map<Long, CustomerTotal> totals = Fold.customerTotals(Fold.orders(Fixture.outbox()));
    assertThat(totals.get(10L))
        .as("customer 10: order 1 paid 1500, order 2 cancelled counts but earns nothing")
        .isEqualTo(new CustomerTotal(10, 2, 1500));
    assertThat(totals.get(20L))
        .as("customer 20: order 3 deleted, order 4 live with 4000")
        .isEqualTo(new CustomerTotal(20, 1, 4000));
  }

  @Test
  void customersWithNothingAreAbsentAndNormalizeTreatsZeroRowsAsAbsent() {
    Event created = event(7, 1, Event.ORDER_CREATED, 30, "NEW", 500);
    Event deleted = event(7, 2, Event.ORDER_DELETED, 30, "NEW", 500);
    assertThat(Fold.customerTotals(Fold.orders(List.of(created, deleted))))
        .as("a customer whose only order was deleted has no total")
        .isEmpty();
    assertThat(
            Fold.normalize(
                List.of(
                    new CustomerTotal(30, 0, 0),
                    new CustomerTotal(10, 1, 5),
                    new CustomerTotal(10, 1, 5))))
        .as("zero rows drop out; two rows of one customer add up, so the double count shows")
        .isEqualTo(Map.of(10L, new CustomerTotal(10, 2, 10)));
  }
}
