package dev.cdcchaos.harness.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShardTest {

  @Test
  void theShardsOfACampaignTryEverySeedExactlyOnce() {
    List<Long> all = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      all.addAll(new Shard(i, 3).seeds(100, 10));
    }
    assertThat(all)
        .containsExactlyInAnyOrder(100L, 101L, 102L, 103L, 104L, 105L, 106L, 107L, 108L, 109L);
    assertThat(new Shard(2, 3).seeds(100, 10)).containsExactly(101L, 104L, 107L);
    assertThat(Shard.ALL.seeds(5, 3)).containsExactly(5L, 6L, 7L);
  }

  @Test
  void badShardsSayWhatIsExpected() {
    assertThat(Shard.parse(" 2/4 ")).isEqualTo(new Shard(2, 4));
    assertThatThrownBy(() -> Shard.parse("2-4")).hasMessageContaining("expected I/N, e.g. 2/4");
    assertThatThrownBy(() -> Shard.parse("5/4")).hasMessageContaining("1 <= I <= N, found 5/4");
    assertThatThrownBy(() -> Shard.parse("0/4")).hasMessageContaining("found 0/4");
  }
}
