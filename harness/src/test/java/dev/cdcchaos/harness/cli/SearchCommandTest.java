package dev.cdcchaos.harness.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cdcchaos.harness.scenario.Expectations;
import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import dev.cdcchaos.harness.scenario.ScenarioWriter;
import dev.cdcchaos.harness.search.SearchSpace;
import dev.cdcchaos.pipeline.variant.Variant;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The search command's input checks and drawing; the search over real runs is SearchIT. */
class SearchCommandTest extends CliTestBase {
  @Test
  void badInputIsRejectedBeforeAnythingRuns() {
    assertThat(run("search", "--variant", "no-such-bug")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString())
        .contains("--variant: unknown variant 'no-such-bug'")
        .contains("no-idempotency-ledger");
    assertThat(run("search", "--faults", "partition,meteor")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--faults: unknown fault kind 'meteor'");
    assertThat(run("search", "--max-window", "3 s")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--max-window: '3 s' is not a duration");
    assertThat(run("search", "--brokers", "2")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("broker counts must be 1 or 3");
    assertThat(run("search", "--min-orders", "50", "--max-orders", "10")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("bad search space");
    assertThat(run("search", "--runs", "0")).isEqualTo(Main.BAD_INPUT);
    assertThat(err.toString()).contains("--runs must be at least 1");
    assertThat(run("search", "--runs", "many")).isEqualTo(Main.BAD_INPUT);
    assertThat(out.toString()).as("nothing ran").doesNotContain("running");
  }

  @Test
  void aDrawnScenarioPinsTheVariantSoItsFileReplaysAgainstIt() {
    Expectations expect =
        new Expectations(Expectations.DEFAULT.invariants(), Duration.ofSeconds(45));
    Scenario s =
        SearchCommand.draw(
            7, SearchSpace.DEFAULT, expect, Optional.of(Variant.NO_IDEMPOTENCY_LEDGER));

    assertThat(s.variant()).contains(Variant.NO_IDEMPOTENCY_LEDGER);
    assertThat(s.name()).isEqualTo("search-no-idempotency-ledger-7");
    assertThat(s.expect()).isEqualTo(expect);
    String yaml = ScenarioWriter.toYaml(s);
    assertThat(yaml).contains("variant: no-idempotency-ledger");
    assertThat(ScenarioLoader.parse(yaml, "x.yaml")).isEqualTo(s);
    assertThat(SearchCommand.draw(7, SearchSpace.DEFAULT, expect, Optional.empty()).variant())
        .as("without --variant the scenario runs against the correct pipeline")
        .isEmpty();
  }
}
