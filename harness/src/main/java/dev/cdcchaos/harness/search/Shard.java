package dev.cdcchaos.harness.search;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One job's share of a search campaign, {@code I/N}: the campaign's runs (seeds {@code first ..
 * first + runs - 1}) are dealt round-robin to {@code N} jobs of a CI matrix, and job {@code I}
 * (from 1) takes every {@code N}th, starting at its own. Together the jobs try every seed exactly
 * once.
 */
public record Shard(int index, int count) {

  public static final Shard ALL = new Shard(1, 1);
  private static final Pattern SYNTAX = Pattern.compile("(\\d{1,6})/(\\d{1,6})");

  public Shard {
    if (count < 1 || index < 1 || index > count) {
      throw new IllegalArgumentException(
          "a shard is I/N with 1 <= I <= N, found " + index + "/" + count);
    }
  }

  /**
   * Parses {@code I/N}, e.g. {@code 2/4}.
   *
   * @throws IllegalArgumentException naming the text and the expected form
   */
  public static Shard parse(String text) {
    Matcher m = SYNTAX.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected I/N, e.g. 2/4 (job 2 of 4), found '" + text + "'");
    }
    return new Shard(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
  }

  /** This job's seeds of a campaign of {@code runs} runs from {@code firstSeed}, in order. */
  public List<Long> seeds(long firstSeed, int runs) {
    List<Long> seeds = new ArrayList<>();
    for (int i = index - 1; i < runs; i += count) {
      seeds.add(firstSeed + i);
    }
    return seeds;
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
