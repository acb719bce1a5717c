package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.scenario.ScenarioException.Problem;
import dev.cdcchaos.harness.scenario.YamlNode.Key;
import dev.cdcchaos.harness.scenario.YamlNode.Mapping;
import dev.cdcchaos.harness.scenario.YamlNode.Scalar;
import dev.cdcchaos.harness.scenario.YamlNode.Sequence;
import dev.cdcchaos.harness.workload.PoisonKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The field readers of the scenario loader: each reads one value of a YAML node (text, a number in
 * a range, a fraction, a duration, one of a set of names, a mapping with known fields) and, when it
 * is not what is expected, records a problem naming the file, line, column and field path, what was
 * found and what was expected, and returns null. The section readers ({@link ScenarioLoader}) and
 * the fault reader ({@link FaultReader}) are built on them, so every message has one shape.
 */
final class FieldReader {
  private final String source;
  private final List<Problem> problems = new ArrayList<>();

  FieldReader(String source) {
    this.source = source;
  }

  /** The file (or other source) being read, as messages name it. */
  String source() {
    return source;
  }

  /** The problems found so far, in the order found. */
  List<Problem> problems() {
    return problems;
  }

  /** Whether no problem was found so far. */
  boolean ok() {
    return problems.isEmpty();
  }

  /** A problem not tied to a node (the file as a whole). */
  void problem(int line, int column, String path, String message) {
    problems.add(new Problem(source, line, column, path, message));
  }

  List<PoisonKind> poisonKinds(YamlNode node, String path) {
    if (node instanceof Scalar s && s.isString() && s.text().equals("all")) {
      return allPoisonKinds();
    }
    if (!(node instanceof Sequence seq) || seq.items().isEmpty()) {
      problem(
          node,
          path,
          "found "
              + node.describe()
              + ", expected 'all' or a non-empty list of poison kinds from "
              + String.join(", ", PoisonKind.names()));
      return null;
    }
    List<PoisonKind> kinds = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < seq.items().size(); i++) {
      PoisonKind k =
          choice(
              seq.items().get(i),
              path + "[" + i + "]",
              "poison kind",
              PoisonKind::parse,
              PoisonKind.names());
      if (k == null) {
        ok = false;
      } else if (!kinds.contains(k)) {
        kinds.add(k);
      }
    }
    return ok ? kinds : null;
  }

  static List<PoisonKind> allPoisonKinds() {
    return List.of(PoisonKind.values());
  }

  <T> T choice(
      YamlNode node,
      String path,
      String what,
      Function<String, Optional<T>> parse,
      List<String> names) {
    if (!(node instanceof Scalar s) || s.isNull()) {
      problem(
          node,
          path,
          "found " + node.describe() + ", expected a " + what + ": " + String.join(", ", names));
      return null;
    }
    Optional<T> value = parse.apply(s.text());
    if (value.isEmpty()) {
      problem(
          node,
          path,
          "unknown "
              + what
              + " '"
              + s.text()
              + "', expected one of "
              + String.join(", ", names)
              + didYouMean(s.text(), names));
      return null;
    }
    return value.get();
  }

  static String didYouMean(String typed, List<String> names) {
    return Suggest.closest(typed, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
  }

  // ------------------------------------------------------------ scalars

  String string(Obj o, String key) {
    YamlNode node = o.node(key);
    if (node instanceof Scalar s && !s.isNull() && s.token().isScalarValue()) {
      if (!s.isString()) {
        problem(node, o.path(key), "found " + node.describe() + ", expected text");
        return null;
      }
      return s.text();
    }
    problem(node, o.path(key), "found " + node.describe() + ", expected text");
    return null;
  }

  Boolean bool(YamlNode node, String path) {
    if (node instanceof Scalar s
        && (s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
            || s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
      return s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
    }
    problem(node, path, "found " + node.describe() + ", expected true or false");
    return null;
  }

  Integer integer(Obj o, String key, int min, int max) {
    Long v = longValueIn(o.node(key), o.path(key), min, max, "an integer");
    return v == null ? null : v.intValue();
  }

  Long longIn(Obj o, String key, long min, long max) {
    return longValueIn(o.node(key), o.path(key), min, max, "an integer");
  }

  Long longValue(YamlNode node, String path) {
    return longValueIn(node, path, Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
  }

  Long longValueIn(YamlNode node, String path, long min, long max, String what) {
    String range = rangeText(min, max);
    if (!(node instanceof Scalar s) || !s.isInteger()) {
      problem(node, path, "found " + node.describe() + ", expected " + what + range);
      return null;
    }
    long v;
    try {
      v = Long.parseLong(s.text().replace("_", ""));
    } catch (NumberFormatException e) {
      String why = s.text().matches("[-+]?[0-9_]+") ? ", too large" : "";
      problem(node, path, "found " + node.describe() + why + ", expected " + what + range);
      return null;
    }
    if (v < min || v > max) {
      problem(node, path, "found " + v + ", out of range, expected " + what + range);
      return null;
    }
    return v;
  }

  static String rangeText(long min, long max) {
    if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
      return "";
    }
    if (max == Long.MAX_VALUE) {
      return " >= " + min;
    }
    return " in " + min + ".." + max;
  }

  Double fraction(Obj o, String key, boolean zeroAllowed) {
    return fractionValue(o.node(key), o.path(key), zeroAllowed);
  }

  Double fractionValue(YamlNode node, String path, boolean zeroAllowed) {
    String expected =
        zeroAllowed ? "a fraction in 0..1, e.g. 0.1" : "a fraction > 0 and <= 1, e.g. 0.1";
    if (!(node instanceof Scalar s) || !s.isNumber()) {
      problem(node, path, "found " + node.describe() + ", expected " + expected);
      return null;
    }
    double v;
    try {
      v = Double.parseDouble(s.text().replace("_", ""));
    } catch (NumberFormatException e) {
      problem(node, path, "found " + node.describe() + ", expected " + expected);
      return null;
    }
    if (!(v >= 0 && v <= 1) || (!zeroAllowed && v == 0)) {
      problem(node, path, "found " + s.text() + ", out of range, expected " + expected);
      return null;
    }
    return v;
  }

  Duration duration(YamlNode node, String path, Duration min, Duration max) {
    String expected =
        "expected a duration like 500ms, 3s, 2m or 1h, from "
            + Durations.format(min)
            + " to "
            + Durations.format(max);
    if (!(node instanceof Scalar s) || s.isNull() || !s.token().isScalarValue()) {
      problem(node, path, "found " + node.describe() + ", " + expected);
      return null;
    }
    Optional<Duration> d = Durations.parse(s.text());
    if (d.isEmpty()) {
      String hint = s.isInteger() ? " (a unit is required)" : "";
      problem(node, path, "found " + node.describe() + hint + ", " + expected);
      return null;
    }
    if (d.get().compareTo(min) < 0 || d.get().compareTo(max) > 0) {
      problem(node, path, "found " + s.text() + ", out of range, " + expected);
      return null;
    }
    return d.get();
  }

  // ------------------------------------------------------------ structure

  /** A mapping being read at {@code path}; unknown keys are reported when it is made. */
  static final class Obj {
    final Mapping map;
    final String path;

    Obj(Mapping map, String path) {
      this.map = map;
      this.path = path;
    }

    boolean has(String key) {
      return map.values().containsKey(key);
    }

    YamlNode node(String key) {
      return map.values().get(key);
    }

    String path(String key) {
      return path.isEmpty() ? key : path + "." + key;
    }
  }

  Obj obj(YamlNode node, String path, List<String> allowed) {
    return obj(node, path, allowed, path.isEmpty() ? "a scenario" : path);
  }

  Obj obj(YamlNode node, String path, List<String> allowed, String what) {
    if (!(node instanceof Mapping map)) {
      problem(
          node,
          path,
          "found "
              + node.describe()
              + ", expected a mapping with fields "
              + String.join(", ", allowed));
      return null;
    }
    for (Key key : map.keys().values()) {
      if (!allowed.contains(key.name())) {
        problem(
            key,
            path.isEmpty() ? key.name() : path + "." + key.name(),
            "unknown field '"
                + key.name()
                + "' in "
                + what
                + ", expected one of "
                + String.join(", ", allowed)
                + didYouMean(key.name(), allowed));
      }
    }
    return new Obj(map, path);
  }

  boolean required(Obj o, String key) {
    if (o.has(key)) {
      return true;
    }
    problem(o.map, o.path.isEmpty() ? key : o.path(key), "missing required field '" + key + "'");
    return false;
  }

  <T> T build(YamlNode at, String path, Supplier<T> make, T fallback) {
    try {
      return make.get();
    } catch (IllegalArgumentException | NullPointerException e) {
      problem(at, path, e.getMessage());
      return fallback;
    }
  }

  void problem(YamlNode at, String path, String message) {
    problems.add(new Problem(source, at.line(), at.column(), path, message));
  }

  void problem(Key at, String path, String message) {
    problems.add(new Problem(source, at.line(), at.column(), path, message));
  }
}
