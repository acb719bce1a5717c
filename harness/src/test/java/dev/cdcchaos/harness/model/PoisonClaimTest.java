package dev.cdcchaos.harness.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.workload.Poison;
import dev.cdcchaos.harness.workload.PoisonKind;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoisonClaimTest {

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aTruncatedEnvelopeStillNamesWhatItGotThrough() {
    PoisonClaim c =
        PoisonClaim.of(bytes("{\"eventId\":\"p-1\",\"orderId\":9000000001,\"type\":\"ORD"));
    assertThat(c).isEqualTo(new PoisonClaim("p-1", 9_000_000_001L, null));
  }

  @Test
  void numericStringsAreReadAsASloppyReaderWould() {
    PoisonClaim c =
        PoisonClaim.of(
            bytes(
                "{\"orderId\":\"order-5\",\"state\":{\"orderId\":5,\"customerId\":\"7\","
                    + "\"status\":\"NEW\",\"totalCents\":\"120\",\"currency\":\"EUR\","
                    + "\"version\":\"2\",\"deleted\":false}}"));
    assertThat(c.orderId()).as("falls back to state.orderId").isEqualTo(5L);
    assertThat(c.state()).isEqualTo(new OrderState(5, 7, "NEW", 120, "EUR", 2, false));
  }

  @Test
  void nothingReadableIsAnEmptyClaim() {
    assertThat(PoisonClaim.of(null).isEmpty()).isTrue();
    assertThat(PoisonClaim.of(bytes("[1,2]")).isEmpty()).isTrue();
    assertThat(PoisonClaim.of(bytes("not json")).isEmpty()).isTrue();
  }

  @Test
  void poisonThatKeepsItsOrderIdClaimsItsPoisonOrder() {
    for (PoisonKind kind : PoisonKind.values()) {
      PoisonClaim c = PoisonClaim.of(Poison.bytes(kind, new Random(3)));
      if (kind == PoisonKind.MISSING_ID) {
        assertThat(c.orderId()).as("%s has no order id to claim", kind).isNull();
      } else if (kind != PoisonKind.MALFORMED_JSON) {
        assertThat(c.orderId())
            .as("%s claims an order id in the poison range", kind)
            .isGreaterThanOrEqualTo(Poison.FIRST_ORDER_ID);
      }
    }
  }
}
