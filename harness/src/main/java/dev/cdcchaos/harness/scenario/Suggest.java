package dev.cdcchaos.harness.scenario;

import java.util.List;
import java.util.Optional;

/** "Did you mean ...?" for misspelt names in scenario files. */
final class Suggest {
  private Suggest() {}

  /** The candidate closest to {@code typed}, if it is close enough to be a likely typo. */
  static Optional<String> closest(String typed, List<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(typed, c);
      if (d < bestDistance) {
        bestDistance = d;
        best = c;
      }
    }
    int tolerance = Math.max(2, typed.length() / 3);
    return best != null && bestDistance > 0 && bestDistance <= tolerance
        ? Optional.of(best)
        : Optional.empty();
  }

  /** Levenshtein distance where swapping two neighbouring characters counts as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
