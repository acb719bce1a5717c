package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.scenario.FieldReader.Obj;
import dev.cdcchaos.harness.scenario.ScenarioException.Problem;
import dev.cdcchaos.harness.scenario.YamlNode.Key;
import dev.cdcchaos.harness.scenario.YamlNode.Scalar;
import dev.cdcchaos.harness.scenario.YamlNode.Sequence;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.harness.workload.WritersIn;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads scenario files ({@code scenarios/*.yaml}, format in {@code scenarios/README.md}) strictly:
 * unknown fields, wrong types, unknown names, bad durations and out-of-range numbers are rejected
 * before anything starts. All problems of a file are reported together, each as {@code
 * file:line:column: field: found, expected}.
 */
public final class ScenarioLoader {

  /** Upper bounds that keep a scenario runnable on one machine. */
  static final int MAX_ORDERS = 1_000_000;

  static final int MAX_UPDATES = 1_000;
  static final int MAX_WRITERS = 64;
  static final int MAX_RATE = 1_000_000;
  static final Duration MAX_TIME = Duration.ofHours(1);

  static final List<String> TOP =
      List.of(
          "name",
          "description",
          "seed",
          "variant",
          "topology",
          "workload",
          "pipeline",
          "faults",
          "reads",
          "expect");
  static final List<String> TOPOLOGY =
      List.of("brokers", "partitions", "replication_factor", "publishers");
  static final List<String> WORKLOAD =
      List.of(
          "orders",
          "updates_per_order",
          "writers",
          "rate_per_s",
          "cancel_fraction",
          "delete_fraction",
          "schema_drift_fraction",
          "edge_fraction",
          "poison",
          "writers_in");
  static final List<String> POISON = List.of("count", "fraction", "kinds");
  static final List<String> READS = List.of("every");
  static final List<String> PIPELINE =
      List.of(
          "under_test",
          "publisher_batch",
          "consumer_batch",
          "exactly_once",
          "offset_flush_ms",
          "known_bad",
          "slot_recreate_after_ms");

  /** The pipelines a scenario file may pick with {@code pipeline: NAME} or {@code under_test}. */
  static final List<String> PIPELINES = List.of("reference", "debezium");

  static final List<String> EXPECT = List.of("invariants", "converge_within", "verdict");

  /** The extra fields each fault kind takes besides {@code at}, {@code for} and its own key. */
  static final Map<String, List<String>> FAULT_PARAMS = FaultReader.params();

  private static final String NAME_SYNTAX = "[a-z0-9][a-z0-9._-]{0,79}";

  private ScenarioLoader() {}

  /** Loads one scenario file. */
  public static Scenario load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ScenarioException(
          List.of(new Problem(file.toString(), 0, 0, "", "cannot read the file: " + e)));
    }
    return parse(text, file.toString());
  }

  /**
   * Parses scenario YAML; {@code source} names it in error messages and, without a {@code name}
   * field, gives the scenario its name (file name without extension).
   */
  public static Scenario parse(String yaml, String source) {
    return new FileReader(source).read(yaml);
  }

  /** The scenario files of a directory ({@code *.yaml}, {@code *.yml}), sorted by file name. */
  public static List<Path> files(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ScenarioException(
          List.of(new Problem(dir.toString(), 0, 0, "", "not a directory of scenario files")));
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml");
              })
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new ScenarioException(
          List.of(new Problem(dir.toString(), 0, 0, "", "cannot list the directory: " + e)));
    }
  }

  /**
   * Loads every scenario file of {@code dir}, sorted by scenario name. Problems of all files are
   * reported together; two files with the same scenario name are an error.
   */
  public static List<Scenario> loadAll(Path dir) {
    return loadFiles(files(dir));
  }

  /** Loads the given files, sorted by scenario name; duplicate names are an error. */
  public static List<Scenario> loadFiles(List<Path> files) {
    List<Problem> problems = new ArrayList<>();
    Map<String, Path> seen = new HashMap<>();
    List<Scenario> scenarios = new ArrayList<>();
    for (Path file : files) {
      try {
        Scenario s = load(file);
        Path other = seen.putIfAbsent(s.name(), file);
        if (other != null) {
          problems.add(
              new Problem(
                  file.toString(),
                  0,
                  0,
                  "name",
                  "duplicate scenario name '" + s.name() + "', also used by " + other));
        } else {
          scenarios.add(s);
        }
      } catch (ScenarioException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ScenarioException(problems);
    }
    scenarios.sort(Comparator.comparing(Scenario::name));
    return scenarios;
  }

  /** Reads one file, collecting problems. */
  private static final class FileReader {
    private final String source;
    private final FieldReader r;

    FileReader(String source) {
      this.source = source;
      this.r = new FieldReader(source);
    }

    Scenario read(String yaml) {
      List<Key> duplicates = new ArrayList<>();
      YamlNode root;
      try {
        root = YamlNode.parse(yaml, duplicates);
      } catch (YamlNode.SyntaxError e) {
        r.problem(e.line, e.column, "", e.getMessage());
        throw new ScenarioException(r.problems());
      }
      for (Key d : duplicates) {
        r.problem(d.line(), d.column(), d.name(), "field given twice in one mapping");
      }
      if (root == null) {
        r.problem(0, 0, "", "empty file, expected a scenario mapping");
        throw new ScenarioException(r.problems());
      }
      Obj top = r.obj(root, "", TOP);
      if (top == null) {
        throw new ScenarioException(r.problems());
      }
      String name = top.has("name") ? name(top) : defaultName();
      String description = top.has("description") ? r.string(top, "description") : "";
      Long seed = r.required(top, "seed") ? r.longValue(top.node("seed"), "seed") : null;
      Optional<Variant> variant =
          top.has("variant") ? Optional.ofNullable(variant(top)) : Optional.empty();
      Topology topology = top.has("topology") ? topology(top) : Topology.DEFAULT;
      WorkloadSpec workload = r.required(top, "workload") ? workload(top) : null;
      PipelineSettings pipeline = top.has("pipeline") ? pipeline(top) : PipelineSettings.DEFAULT;
      List<FaultSpec> faults =
          top.has("faults")
              ? new FaultReader(r, topology, workload).faults(top.node("faults"))
              : List.of();
      Expectations expect = top.has("expect") ? expect(top) : Expectations.DEFAULT;
      Reads reads = top.has("reads") ? reads(top) : Reads.DEFAULT;
      if (!r.ok()) {
        throw new ScenarioException(r.problems());
      }
      Scenario scenario =
          r.build(
              root,
              "",
              () ->
                  new Scenario(
                      name,
                      description,
                      seed,
                      topology,
                      workload,
                      faults,
                      expect,
                      variant,
                      pipeline == null ? PipelineSettings.DEFAULT : pipeline,
                      reads == null ? Reads.DEFAULT : reads),
              null);
      if (scenario == null) {
        throw new ScenarioException(r.problems());
      }
      return scenario;
    }

    private String defaultName() {
      String file = Path.of(source).getFileName().toString();
      int dot = file.lastIndexOf('.');
      String stem = dot > 0 ? file.substring(0, dot) : file;
      if (!stem.matches(NAME_SYNTAX)) {
        r.problem(
            0,
            0,
            "name",
            "no name given and the file name '"
                + stem
                + "' is not a valid scenario name ("
                + NAME_SYNTAX
                + "): add a name field");
      }
      return stem;
    }

    // ------------------------------------------------------------ sections

    private String name(Obj top) {
      String n = r.string(top, "name");
      if (n != null && !n.matches(NAME_SYNTAX)) {
        r.problem(
            top.node("name"),
            "name",
            "'"
                + n
                + "' is not a valid scenario name, expected lower-case letters, digits, '.', '_' and"
                + " '-', starting with a letter or digit, at most 80 characters");
      }
      return n;
    }

    private Variant variant(Obj top) {
      List<String> names = Arrays.stream(Variant.values()).map(Variant::cliName).toList();
      return r.choice(
          top.node("variant"),
          "variant",
          "variant",
          s -> Arrays.stream(Variant.values()).filter(v -> v.cliName().equals(s)).findFirst(),
          names);
    }

    private Topology topology(Obj top) {
      Obj t = r.obj(top.node("topology"), "topology", TOPOLOGY);
      if (t == null) {
        return Topology.DEFAULT;
      }
      Integer brokers = t.has("brokers") ? r.integer(t, "brokers", 1, 3) : Integer.valueOf(1);
      if (brokers != null && brokers == 2) {
        r.problem(t.node("brokers"), t.path("brokers"), "found 2, expected 1 or 3");
        brokers = null;
      }
      Integer partitions =
          t.has("partitions")
              ? r.integer(t, "partitions", 1, Topology.MAX_PARTITIONS)
              : Integer.valueOf(3);
      int b = brokers == null ? 3 : brokers;
      Integer rf =
          t.has("replication_factor")
              ? r.integer(t, "replication_factor", 1, b)
              : Integer.valueOf(b);
      Integer publishers =
          t.has("publishers")
              ? r.integer(t, "publishers", 1, Topology.MAX_PUBLISHERS)
              : Integer.valueOf(1);
      if (brokers == null || partitions == null || rf == null) {
        // keep checking fault targets against every broker and publisher that may be meant
        return new Topology(3, 1, 1, publishers == null ? Topology.MAX_PUBLISHERS : publishers);
      }
      if (publishers == null) {
        return new Topology(brokers, partitions, rf, Topology.MAX_PUBLISHERS);
      }
      Integer fb = brokers;
      return r.build(
          t.map, "topology", () -> new Topology(fb, partitions, rf, publishers), Topology.DEFAULT);
    }

    private WorkloadSpec workload(Obj top) {
      Obj w = r.obj(top.node("workload"), "workload", WORKLOAD);
      if (w == null) {
        return null;
      }
      Integer orders = r.required(w, "orders") ? r.integer(w, "orders", 1, MAX_ORDERS) : null;
      Integer updates =
          w.has("updates_per_order")
              ? r.integer(w, "updates_per_order", 0, MAX_UPDATES)
              : Integer.valueOf(WorkloadSpec.DEFAULT_UPDATES_PER_ORDER);
      Integer writers =
          w.has("writers")
              ? r.integer(w, "writers", 1, MAX_WRITERS)
              : Integer.valueOf(WorkloadSpec.DEFAULT_WRITERS);
      Integer rate =
          w.has("rate_per_s")
              ? r.integer(w, "rate_per_s", 0, MAX_RATE)
              : Integer.valueOf(WorkloadSpec.DEFAULT_RATE);
      Double cancel =
          w.has("cancel_fraction") ? r.fraction(w, "cancel_fraction", true) : Double.valueOf(0);
      Double delete =
          w.has("delete_fraction") ? r.fraction(w, "delete_fraction", true) : Double.valueOf(0);
      Double drift =
          w.has("schema_drift_fraction")
              ? r.fraction(w, "schema_drift_fraction", true)
              : Double.valueOf(0);
      Double edges =
          w.has("edge_fraction")
              ? r.fraction(w, "edge_fraction", true)
              : Double.valueOf(WorkloadSpec.DEFAULT_EDGE_FRACTION);
      PoisonMix poison = w.has("poison") ? poisonMix(w) : PoisonMix.NONE;
      WritersIn writersIn =
          w.has("writers_in")
              ? r.choice(
                  w.node("writers_in"),
                  w.path("writers_in"),
                  "place for the writers",
                  WritersIn::parse,
                  WritersIn.names())
              : WritersIn.JVM;
      if (orders == null
          || writersIn == null
          || edges == null
          || updates == null
          || writers == null
          || rate == null
          || cancel == null
          || delete == null
          || drift == null
          || poison == null) {
        return null;
      }
      return r.build(
          w.map,
          "workload",
          () ->
              new WorkloadSpec(
                  orders, updates, writers, rate, cancel, delete, drift, poison, edges, writersIn),
          null);
    }

    private PoisonMix poisonMix(Obj w) {
      Obj p = r.obj(w.node("poison"), w.path("poison"), POISON);
      if (p == null) {
        return null;
      }
      List<PoisonKind> kinds =
          p.has("kinds")
              ? r.poisonKinds(p.node("kinds"), p.path("kinds"))
              : FieldReader.allPoisonKinds();
      if (p.has("count") && p.has("fraction")) {
        r.problem(
            p.map,
            p.path,
            "found both count and fraction, expected one of them (a fixed count or a fraction of"
                + " the events)");
        return null;
      }
      if (p.has("count")) {
        Integer count = r.integer(p, "count", 0, FaultReader.MAX_POISON);
        return count == null || kinds == null ? null : PoisonMix.count(count, kinds);
      }
      if (p.has("fraction")) {
        Double fraction = r.fraction(p, "fraction", true);
        return fraction == null || kinds == null ? null : PoisonMix.fraction(fraction, kinds);
      }
      r.problem(
          p.map, p.path, "missing count or fraction, e.g. { count: 5 } or { fraction: 0.01 }");
      return null;
    }

    private PipelineSettings pipeline(Obj top) {
      YamlNode node = top.node("pipeline");
      if (node instanceof Scalar) {
        // pipeline: debezium -- the short form picks the pipeline and keeps the default knobs
        String name =
            r.choice(
                node,
                "pipeline",
                "pipeline",
                n -> PIPELINES.contains(n) ? Optional.of(n) : Optional.empty(),
                PIPELINES);
        return name == null
            ? null
            : new PipelineSettings(
                PipelineSettings.DEFAULT.publisherBatch(),
                PipelineSettings.DEFAULT.consumerBatch(),
                Optional.of(name),
                Map.of());
      }
      Obj p = r.obj(node, "pipeline", PIPELINE);
      if (p == null) {
        return null;
      }
      Optional<String> underTest = Optional.empty();
      if (p.has("under_test")) {
        String name =
            r.choice(
                p.node("under_test"),
                p.path("under_test"),
                "pipeline",
                n -> PIPELINES.contains(n) ? Optional.of(n) : Optional.empty(),
                PIPELINES);
        if (name == null) {
          return null;
        }
        underTest = Optional.of(name);
      }
      Map<String, String> settings = new java.util.LinkedHashMap<>();
      if (p.has("exactly_once")) {
        Boolean eos = r.bool(p.node("exactly_once"), p.path("exactly_once"));
        if (eos == null) {
          return null;
        }
        settings.put("exactly_once", eos.toString());
      }
      for (String ms : List.of("offset_flush_ms", "slot_recreate_after_ms")) {
        if (p.has(ms)) {
          Long v = r.longIn(p, ms, 0, 3_600_000);
          if (v == null) {
            return null;
          }
          settings.put(ms, v.toString());
        }
      }
      if (p.has("known_bad")) {
        String kind =
            r.choice(
                p.node("known_bad"),
                p.path("known_bad"),
                "known-bad Debezium setup",
                n ->
                    n.equals("none") || n.equals("slot-recreated")
                        ? Optional.of(n)
                        : Optional.empty(),
                List.of("none", "slot-recreated"));
        if (kind == null) {
          return null;
        }
        settings.put("known_bad", kind);
      }
      Integer publisher =
          p.has("publisher_batch")
              ? r.integer(p, "publisher_batch", 1, PipelineSettings.MAX_BATCH)
              : Integer.valueOf(PipelineSettings.DEFAULT.publisherBatch());
      Integer consumer =
          p.has("consumer_batch")
              ? r.integer(p, "consumer_batch", 1, PipelineSettings.MAX_BATCH)
              : Integer.valueOf(PipelineSettings.DEFAULT.consumerBatch());
      if (publisher == null || consumer == null) {
        return null;
      }
      return new PipelineSettings(publisher, consumer, underTest, settings);
    }

    private Reads reads(Obj top) {
      Obj rd = r.obj(top.node("reads"), "reads", READS);
      if (rd == null) {
        return null;
      }
      Duration every =
          rd.has("every")
              ? r.duration(rd.node("every"), rd.path("every"), Reads.MIN_EVERY, Reads.MAX_EVERY)
              : Reads.DEFAULT.every();
      return every == null ? null : new Reads(every);
    }

    private Expectations expect(Obj top) {
      Obj e = r.obj(top.node("expect"), "expect", EXPECT);
      if (e == null) {
        return Expectations.DEFAULT;
      }
      Set<Invariant> invariants =
          e.has("invariants")
              ? invariants(e.node("invariants"), e.path("invariants"))
              : EnumSet.allOf(Invariant.class);
      Duration within =
          e.has("converge_within")
              ? r.duration(
                  e.node("converge_within"),
                  e.path("converge_within"),
                  Duration.ofMillis(1),
                  MAX_TIME)
              : Expectations.DEFAULT_CONVERGE_WITHIN;
      Expectations.Outcome verdict =
          e.has("verdict")
              ? r.choice(
                  e.node("verdict"),
                  e.path("verdict"),
                  "expected verdict",
                  Expectations.Outcome::parse,
                  Expectations.Outcome.names())
              : Expectations.Outcome.VALID;
      if (invariants == null || within == null || verdict == null) {
        return Expectations.DEFAULT;
      }
      return new Expectations(invariants, within, verdict);
    }

    private Set<Invariant> invariants(YamlNode node, String path) {
      if (node instanceof Scalar s && s.isString() && s.text().equals("all")) {
        return EnumSet.allOf(Invariant.class);
      }
      if (!(node instanceof Sequence seq)) {
        r.problem(
            node,
            path,
            "found "
                + node.describe()
                + ", expected 'all' or a list of invariants from "
                + String.join(", ", Invariant.names()));
        return null;
      }
      if (seq.items().isEmpty()) {
        r.problem(node, path, "empty list, expected at least one invariant (or 'all')");
        return null;
      }
      Set<Invariant> result = EnumSet.noneOf(Invariant.class);
      boolean ok = true;
      for (int i = 0; i < seq.items().size(); i++) {
        Invariant inv =
            r.choice(
                seq.items().get(i),
                path + "[" + i + "]",
                "invariant",
                Invariant::parse,
                Invariant.names());
        if (inv == null) {
          ok = false;
        } else {
          result.add(inv);
        }
      }
      return ok ? result : null;
    }
  }
}
