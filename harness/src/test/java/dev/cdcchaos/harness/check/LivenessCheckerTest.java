package dev.cdcchaos.harness.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
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
  void drainedWithoutRecoveryTimeIsUnknown() {
    CheckResult r = checker.check(Fixture.healthy().toBuilder().convergeTime(null).build());
    assertThat(r.verdict()).isEqualTo(Verdict.UNKNOWN);
  }
}
