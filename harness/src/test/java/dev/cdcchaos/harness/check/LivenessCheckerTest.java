package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.history.Op;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LivenessCheckerTest {

  private final Checker checker = new LivenessChecker();

  @Test
  void drainedWithinTheBoundRecordsTheRecoveryTime() {
    CheckResult r = checker.check(Fixture.healthy());
    assertThat(r.verdict()).as(r.summary()).isEqualTo(Verdict.VALID);
    assertThat(r.counts()).containsEntry("recovery ms", 1200L).containsEntry("bound ms", 30_000L);
    assertThat(r.summary()).contains("1.2 s").contains("30.0 s");
  }

  @Test
  void notDrainedIsUnknownNeverASilentPass() {
    CheckResult r =
        checker.check(Fixture.healthy().toBuilder().drained(false).convergeTime(null).build());
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(r.summary()).contains("did not drain within 30.0 s");
  }

  @Test
  void convergedOverTheBoundIsInvalid() {
    CheckResult r =
        checker.check(Fixture.healthy().toBuilder().convergeTime(Duration.ofSeconds(45)).build());
    assertThat(r.verdict()).isEqualTo(Verdict.INVALID);
    assertThat(r.evidence())
        .singleElement()
        .asString()
        .isEqualTo("expected recovery within 30.0 s, actual 45.0 s");
  }

  @Test
  void aStallWithUnsentOutboxRowsIsInvalid() {
    Op stall =
        new Op(
            7,
            5_000_000_000L,
            "harness",
            Op.Type.INFO,
            LivenessChecker.STALLED,
            Map.of(
                "note",
                "no progress for 10 s although 6 outbox rows are unpublished",
                "backlog",
                6L));
    CheckResult r =
        checker.check(
            Fixture.healthy().toBuilder().convergeTime(null).history(List.of(stall)).build());
    assertThat(r.verdict())
        .as("rows the publisher will never send are a liveness failure")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("stalled").contains("6 outbox rows");
    assertThat(r.evidence()).singleElement().asString().contains("6 rows left unpublished");
  }

  @Test
  void aConsumerThatSettledShortOfTheEndIsInvalid() {
    Op settled =
        new Op(
            7,
            5_000_000_000L,
            "harness",
            Op.Type.INFO,
            LivenessChecker.SETTLED,
            Map.of("note", "no progress for 10 s with an empty outbox and the consumer running"));
    CheckResult r = checker.check(Fixture.healthy().toBuilder().history(List.of(settled)).build());
    assertThat(r.verdict())
        .as("a consumer that looks healthy but takes nothing more (spring-kafka#1287)")
        .isEqualTo(Verdict.INVALID);
    assertThat(r.summary()).contains("stopped short");
  }

  @Test
  void drainedWithoutRecoveryTimeIsUnknown() {
    CheckResult r = checker.check(Fixture.healthy().toBuilder().convergeTime(null).build());
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
