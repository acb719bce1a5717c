package dev.cdcchaos.harness.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cdcchaos.pipeline.event.EventCodec;
import dev.cdcchaos.pipeline.event.PoisonMessageException;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PoisonTest {

  @ParameterizedTest
  @EnumSource(PoisonKind.class)
  void theRealDecoderRejectsEveryKindWithAReasonThatNamesTheDefect(PoisonKind kind) {
    String reason =
        switch (kind) {
          case MALFORMED_JSON -> "not JSON";
          case WRONG_TYPES -> "must be an integer";
          case OVERSIZED -> "oversized message";
          case UNKNOWN_TYPE -> "unknown event type 'ORDER_TELEPORTED'";
          case MISSING_ID -> "missing field 'orderId'";
          case NEGATIVE_VERSION -> "version must be >= 1";
        };
    for (long seed = 0; seed < 20; seed++) {
      byte[] bytes = Poison.bytes(kind, new Random(seed));
      assertThatThrownBy(() -> EventCodec.decode(bytes))
          .as("%s poison with seed %d", kind, seed)
          .isInstanceOf(PoisonMessageException.class)
          .hasMessageContaining(reason);
    }
  }

  @ParameterizedTest
  @EnumSource(PoisonKind.class)
  void theSameSeedGivesTheSameBytes(PoisonKind kind) {
    PoisonSpec spec = new PoisonSpec(0, kind, 99, 10);
    assertThat(spec.bytes()).isEqualTo(spec.bytes());
    assertThat(Poison.bytes(kind, new Random(1))).isNotEqualTo(Poison.bytes(kind, new Random(2)));
  }
}
