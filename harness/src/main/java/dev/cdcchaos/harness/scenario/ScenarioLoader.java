package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.fault.Direction;
import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.FaultSpec;
import dev.cdcchaos.harness.fault.Link;
import dev.cdcchaos.harness.fault.Target;
import dev.cdcchaos.harness.fault.Trigger;
import dev.cdcchaos.harness.scenario.ScenarioException.Problem;
import dev.cdcchaos.harness.scenario.YamlNode.Key;
import dev.cdcchaos.harness.scenario.YamlNode.Mapping;
import dev.cdcchaos.harness.scenario.YamlNode.Scalar;
import dev.cdcchaos.harness.scenario.YamlNode.Sequence;
import dev.cdcchaos.harness.workload.PoisonKind;
import dev.cdcchaos.harness.workload.PoisonMix;
import dev.cdcchaos.harness.workload.WorkloadSpec;
import dev.cdcchaos.pipeline.crash.CrashPoints;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
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
  static final int MAX_FAULTS = 100;
  static final int MAX_POISON = 100_000;
  static final Duration MAX_TIME = Duration.ofHours(1);
  static final Duration MAX_TOXIC_TIME = Duration.ofSeconds(60);

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
          "poison");
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

  static final List<String> EXPECT = List.of("invariants", "converge_within");
  static final List<String> FAULT_COMMON = List.of("at", "for", "optional");

  /** The extra fields each fault kind takes besides {@code at}, {@code for} and its own key. */
  static final Map<String, List<String>> FAULT_PARAMS = faultParams();

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

  private static Map<String, List<String>> faultParams() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put("partition", List.of("direction", "mode"));
    m.put("latency", List.of("delay", "jitter", "direction"));
    m.put("bandwidth", List.of("kb_per_s", "direction"));
    m.put("reset-peer", List.of("timeout", "direction"));
    m.put("slow-close", List.of("delay", "direction"));
    m.put("limit-data", List.of("bytes", "direction"));
    m.put("kill", List.of());
    m.put("pause", List.of());
    m.put("restart", List.of());
    m.put("crash", List.of("point"));
    m.put("duplicate", List.of());
    m.put("reorder", List.of());
    m.put("redeliver", List.of());
    m.put("schema-drift", List.of());
    m.put("slow-commit", List.of());
    m.put("poison", List.of("kinds"));
    if (!m.keySet().equals(Set.copyOf(Fault.KINDS))) {
      throw new IllegalStateException("fault parameters out of sync with Fault.KINDS");
    }
    return Map.copyOf(m);
  }

  /** Reads one file, collecting problems. */
  private static final class FileReader {
    private final String source;
    private final List<Problem> problems = new ArrayList<>();

    FileReader(String source) {
      this.source = source;
    }

    Scenario read(String yaml) {
      List<Key> duplicates = new ArrayList<>();
      YamlNode root;
      try {
        root = YamlNode.parse(yaml, duplicates);
      } catch (YamlNode.SyntaxError e) {
        problems.add(new Problem(source, e.line, e.column, "", e.getMessage()));
        throw new ScenarioException(problems);
      }
      for (Key d : duplicates) {
        problems.add(
            new Problem(
                source, d.line(), d.column(), d.name(), "field given twice in one mapping"));
      }
      if (root == null) {
        problems.add(new Problem(source, 0, 0, "", "empty file, expected a scenario mapping"));
        throw new ScenarioException(problems);
      }
      Obj top = obj(root, "", TOP);
      if (top == null) {
        throw new ScenarioException(problems);
      }
      String name = top.has("name") ? name(top) : defaultName();
      String description = top.has("description") ? string(top, "description") : "";
      Long seed = required(top, "seed") ? longValue(top.node("seed"), "seed") : null;
      Optional<Variant> variant =
          top.has("variant") ? Optional.ofNullable(variant(top)) : Optional.empty();
      Topology topology = top.has("topology") ? topology(top) : Topology.DEFAULT;
      WorkloadSpec workload = required(top, "workload") ? workload(top) : null;
      PipelineSettings pipeline = top.has("pipeline") ? pipeline(top) : PipelineSettings.DEFAULT;
      List<FaultSpec> faults = top.has("faults") ? faults(top, topology, workload) : List.of();
      Expectations expect = top.has("expect") ? expect(top) : Expectations.DEFAULT;
      Reads reads = top.has("reads") ? reads(top) : Reads.DEFAULT;
      if (!problems.isEmpty()) {
        throw new ScenarioException(problems);
      }
      Scenario scenario =
          build(
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
        throw new ScenarioException(problems);
      }
      return scenario;
    }

    private String defaultName() {
      String file = Path.of(source).getFileName().toString();
      int dot = file.lastIndexOf('.');
      String stem = dot > 0 ? file.substring(0, dot) : file;
      if (!stem.matches(NAME_SYNTAX)) {
        problems.add(
            new Problem(
                source,
                0,
                0,
                "name",
                "no name given and the file name '"
                    + stem
                    + "' is not a valid scenario name ("
                    + NAME_SYNTAX
                    + "): add a name field"));
      }
      return stem;
    }

    // ------------------------------------------------------------ sections

    private String name(Obj top) {
      String n = string(top, "name");
      if (n != null && !n.matches(NAME_SYNTAX)) {
        problem(
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
      return choice(
          top.node("variant"),
          "variant",
          "variant",
          s -> Arrays.stream(Variant.values()).filter(v -> v.cliName().equals(s)).findFirst(),
          names);
    }

    private Topology topology(Obj top) {
      Obj t = obj(top.node("topology"), "topology", TOPOLOGY);
      if (t == null) {
        return Topology.DEFAULT;
      }
      Integer brokers = t.has("brokers") ? integer(t, "brokers", 1, 3) : Integer.valueOf(1);
      if (brokers != null && brokers == 2) {
        problem(t.node("brokers"), t.path("brokers"), "found 2, expected 1 or 3");
        brokers = null;
      }
      Integer partitions =
          t.has("partitions")
              ? integer(t, "partitions", 1, Topology.MAX_PARTITIONS)
              : Integer.valueOf(3);
      int b = brokers == null ? 3 : brokers;
      Integer rf =
          t.has("replication_factor") ? integer(t, "replication_factor", 1, b) : Integer.valueOf(b);
      Integer publishers =
          t.has("publishers")
              ? integer(t, "publishers", 1, Topology.MAX_PUBLISHERS)
              : Integer.valueOf(1);
      if (brokers == null || partitions == null || rf == null) {
        // keep checking fault targets against every broker and publisher that may be meant
        return new Topology(3, 1, 1, publishers == null ? Topology.MAX_PUBLISHERS : publishers);
      }
      if (publishers == null) {
        return new Topology(brokers, partitions, rf, Topology.MAX_PUBLISHERS);
      }
      Integer fb = brokers;
      return build(
          t.map, "topology", () -> new Topology(fb, partitions, rf, publishers), Topology.DEFAULT);
    }

    private WorkloadSpec workload(Obj top) {
      Obj w = obj(top.node("workload"), "workload", WORKLOAD);
      if (w == null) {
        return null;
      }
      Integer orders = required(w, "orders") ? integer(w, "orders", 1, MAX_ORDERS) : null;
      Integer updates =
          w.has("updates_per_order")
              ? integer(w, "updates_per_order", 0, MAX_UPDATES)
              : Integer.valueOf(WorkloadSpec.DEFAULT_UPDATES_PER_ORDER);
      Integer writers =
          w.has("writers")
              ? integer(w, "writers", 1, MAX_WRITERS)
              : Integer.valueOf(WorkloadSpec.DEFAULT_WRITERS);
      Integer rate =
          w.has("rate_per_s")
              ? integer(w, "rate_per_s", 0, MAX_RATE)
              : Integer.valueOf(WorkloadSpec.DEFAULT_RATE);
      Double cancel =
          w.has("cancel_fraction") ? fraction(w, "cancel_fraction", true) : Double.valueOf(0);
      Double delete =
          w.has("delete_fraction") ? fraction(w, "delete_fraction", true) : Double.valueOf(0);
      Double drift =
          w.has("schema_drift_fraction")
              ? fraction(w, "schema_drift_fraction", true)
              : Double.valueOf(0);
      Double edges =
          w.has("edge_fraction")
              ? fraction(w, "edge_fraction", true)
              : Double.valueOf(WorkloadSpec.DEFAULT_EDGE_FRACTION);
      PoisonMix poison = w.has("poison") ? poisonMix(w) : PoisonMix.NONE;
      if (orders == null
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
      return build(
          w.map,
          "workload",
          () ->
              new WorkloadSpec(
                  orders, updates, writers, rate, cancel, delete, drift, poison, edges),
          null);
    }

    private PoisonMix poisonMix(Obj w) {
      Obj p = obj(w.node("poison"), w.path("poison"), POISON);
      if (p == null) {
        return null;
      }
      List<PoisonKind> kinds =
          p.has("kinds") ? poisonKinds(p.node("kinds"), p.path("kinds")) : allPoisonKinds();
      if (p.has("count") && p.has("fraction")) {
        problem(
            p.map,
            p.path,
            "found both count and fraction, expected one of them (a fixed count or a fraction of"
                + " the events)");
        return null;
      }
      if (p.has("count")) {
        Integer count = integer(p, "count", 0, MAX_POISON);
        return count == null || kinds == null ? null : PoisonMix.count(count, kinds);
      }
      if (p.has("fraction")) {
        Double fraction = fraction(p, "fraction", true);
        return fraction == null || kinds == null ? null : PoisonMix.fraction(fraction, kinds);
      }
      problem(p.map, p.path, "missing count or fraction, e.g. { count: 5 } or { fraction: 0.01 }");
      return null;
    }

    private PipelineSettings pipeline(Obj top) {
      YamlNode node = top.node("pipeline");
      if (node instanceof Scalar) {
        // pipeline: debezium -- the short form picks the pipeline and keeps the default knobs
        String name =
            choice(
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
      Obj p = obj(node, "pipeline", PIPELINE);
      if (p == null) {
        return null;
      }
      Optional<String> underTest = Optional.empty();
      if (p.has("under_test")) {
        String name =
            choice(
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
        Boolean eos = bool(p.node("exactly_once"), p.path("exactly_once"));
        if (eos == null) {
          return null;
        }
        settings.put("exactly_once", eos.toString());
      }
      for (String ms : List.of("offset_flush_ms", "slot_recreate_after_ms")) {
        if (p.has(ms)) {
          Long v = longIn(p, ms, 0, 3_600_000);
          if (v == null) {
            return null;
          }
          settings.put(ms, v.toString());
        }
      }
      if (p.has("known_bad")) {
        String kind =
            choice(
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
              ? integer(p, "publisher_batch", 1, PipelineSettings.MAX_BATCH)
              : Integer.valueOf(PipelineSettings.DEFAULT.publisherBatch());
      Integer consumer =
          p.has("consumer_batch")
              ? integer(p, "consumer_batch", 1, PipelineSettings.MAX_BATCH)
              : Integer.valueOf(PipelineSettings.DEFAULT.consumerBatch());
      if (publisher == null || consumer == null) {
        return null;
      }
      return new PipelineSettings(publisher, consumer, underTest, settings);
    }

    private Reads reads(Obj top) {
      Obj r = obj(top.node("reads"), "reads", READS);
      if (r == null) {
        return null;
      }
      Duration every =
          r.has("every")
              ? duration(r.node("every"), r.path("every"), Reads.MIN_EVERY, Reads.MAX_EVERY)
              : Reads.DEFAULT.every();
      return every == null ? null : new Reads(every);
    }

    private Expectations expect(Obj top) {
      Obj e = obj(top.node("expect"), "expect", EXPECT);
      if (e == null) {
        return Expectations.DEFAULT;
      }
      Set<Invariant> invariants =
          e.has("invariants")
              ? invariants(e.node("invariants"), e.path("invariants"))
              : EnumSet.allOf(Invariant.class);
      Duration within =
          e.has("converge_within")
              ? duration(
                  e.node("converge_within"),
                  e.path("converge_within"),
                  Duration.ofMillis(1),
                  MAX_TIME)
              : Expectations.DEFAULT_CONVERGE_WITHIN;
      if (invariants == null || within == null) {
        return Expectations.DEFAULT;
      }
      return new Expectations(invariants, within);
    }

    private Set<Invariant> invariants(YamlNode node, String path) {
      if (node instanceof Scalar s && s.isString() && s.text().equals("all")) {
        return EnumSet.allOf(Invariant.class);
      }
      if (!(node instanceof Sequence seq)) {
        problem(
            node,
            path,
            "found "
                + node.describe()
                + ", expected 'all' or a list of invariants from "
                + String.join(", ", Invariant.names()));
        return null;
      }
      if (seq.items().isEmpty()) {
        problem(node, path, "empty list, expected at least one invariant (or 'all')");
        return null;
      }
      Set<Invariant> result = EnumSet.noneOf(Invariant.class);
      boolean ok = true;
      for (int i = 0; i < seq.items().size(); i++) {
        Invariant inv =
            choice(
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

    // ------------------------------------------------------------ faults

    private List<FaultSpec> faults(Obj top, Topology topology, WorkloadSpec workload) {
      YamlNode node = top.node("faults");
      if (node instanceof Scalar s && (s.isNull() || s.text().isEmpty())) {
        return List.of();
      }
      if (!(node instanceof Sequence seq)) {
        problem(node, "faults", "found " + node.describe() + ", expected a list of faults");
        return List.of();
      }
      if (seq.items().size() > MAX_FAULTS) {
        problem(
            node,
            "faults",
            seq.items().size() + " faults, expected at most " + MAX_FAULTS + " per scenario");
      }
      List<FaultSpec> faults = new ArrayList<>();
      for (int i = 0; i < seq.items().size(); i++) {
        FaultSpec f = fault(seq.items().get(i), "faults[" + i + "]", topology, workload);
        if (f != null) {
          faults.add(f);
        }
      }
      return faults;
    }

    private FaultSpec fault(YamlNode node, String path, Topology topology, WorkloadSpec workload) {
      if (!(node instanceof Mapping map)) {
        problem(
            node,
            path,
            "found "
                + node.describe()
                + ", expected a fault mapping like { at: { after: 3s }, kill: consumer }");
        return null;
      }
      List<String> kinds = map.keys().keySet().stream().filter(Fault.KINDS::contains).toList();
      if (kinds.size() > 1) {
        problem(
            map.keys().get(kinds.get(1)),
            path,
            "found more than one fault kind ("
                + String.join(", ", kinds)
                + "), expected one per list item: write each fault as its own '- { ... }'");
        return null;
      }
      if (kinds.isEmpty()) {
        Set<String> allParams =
            FAULT_PARAMS.values().stream().flatMap(List::stream).collect(Collectors.toSet());
        Optional<Key> stranger =
            map.keys().values().stream()
                .filter(k -> !FAULT_COMMON.contains(k.name()) && !allParams.contains(k.name()))
                .findFirst();
        if (stranger.isPresent()) {
          String typed = stranger.get().name();
          problem(
              stranger.get(),
              path,
              "unknown fault kind '"
                  + typed
                  + "', expected one of "
                  + String.join(", ", Fault.KINDS)
                  + didYouMean(typed, Fault.KINDS));
        } else {
          problem(
              map, path, "no fault kind given, expected one of " + String.join(", ", Fault.KINDS));
        }
        return null;
      }
      String kind = kinds.get(0);
      List<String> allowed = new ArrayList<>(FAULT_COMMON);
      allowed.add(kind);
      allowed.addAll(FAULT_PARAMS.get(kind));
      Obj f = obj(map, path, allowed, "a '" + kind + "' fault");
      Trigger at = required(f, "at") ? trigger(f.node("at"), f.path("at"), workload) : null;
      Fault fault = faultOfKind(kind, f, topology, workload);
      Optional<Duration> duration = Optional.empty();
      if (f.has("for")) {
        if (fault != null && fault.healing() == Fault.Healing.INSTANT) {
          problem(
              f.map.keys().get("for"),
              f.path("for"),
              "'" + kind + "' is a one-off action and takes no duration, expected no 'for'");
          return null;
        }
        Duration min =
            fault != null && fault.healing() == Fault.Healing.WINDOW
                ? Duration.ofMillis(1)
                : Duration.ZERO;
        Duration d = duration(f.node("for"), f.path("for"), min, MAX_TIME);
        if (d == null) {
          return null;
        }
        duration = Optional.of(d);
      }
      Boolean optional =
          f.has("optional") ? bool(f.node("optional"), f.path("optional")) : Boolean.FALSE;
      if (at == null || fault == null || optional == null) {
        return null;
      }
      Optional<Duration> fd = duration;
      return build(map, path, () -> new FaultSpec(at, fd, fault, optional), null);
    }

    private Fault faultOfKind(String kind, Obj f, Topology topology, WorkloadSpec workload) {
      String kp = f.path(kind);
      YamlNode value = f.node(kind);
      return switch (kind) {
        case "partition" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.BOTH);
          Fault.PartitionMode mode =
              f.has("mode")
                  ? choice(
                      f.node("mode"),
                      f.path("mode"),
                      "partition mode",
                      s ->
                          Arrays.stream(Fault.PartitionMode.values())
                              .filter(m -> m.cliName().equals(s))
                              .findFirst(),
                      Arrays.stream(Fault.PartitionMode.values())
                          .map(Fault.PartitionMode::cliName)
                          .toList())
                  : Fault.PartitionMode.BLACKHOLE;
          yield link == null || dir == null || mode == null
              ? null
              : new Fault.Partition(link, dir, mode);
        }
        case "latency" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.DOWNSTREAM);
          Duration delay =
              required(f, "delay")
                  ? duration(f.node("delay"), f.path("delay"), Duration.ZERO, MAX_TOXIC_TIME)
                  : null;
          Duration jitter =
              f.has("jitter")
                  ? duration(f.node("jitter"), f.path("jitter"), Duration.ZERO, MAX_TOXIC_TIME)
                  : Duration.ZERO;
          yield link == null || dir == null || delay == null || jitter == null
              ? null
              : new Fault.Latency(link, dir, delay, jitter);
        }
        case "bandwidth" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.DOWNSTREAM);
          Long rate = required(f, "kb_per_s") ? longIn(f, "kb_per_s", 1, 10_000_000L) : null;
          yield link == null || dir == null || rate == null
              ? null
              : new Fault.Bandwidth(link, dir, rate);
        }
        case "reset-peer" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.DOWNSTREAM);
          Duration timeout =
              f.has("timeout")
                  ? duration(f.node("timeout"), f.path("timeout"), Duration.ZERO, MAX_TOXIC_TIME)
                  : Duration.ZERO;
          yield link == null || dir == null || timeout == null
              ? null
              : new Fault.ResetPeer(link, dir, timeout);
        }
        case "slow-close" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.DOWNSTREAM);
          Duration delay =
              required(f, "delay")
                  ? duration(f.node("delay"), f.path("delay"), Duration.ZERO, MAX_TOXIC_TIME)
                  : null;
          yield link == null || dir == null || delay == null
              ? null
              : new Fault.SlowClose(link, dir, delay);
        }
        case "limit-data" -> {
          Link link = link(value, kp);
          Direction dir = direction(f, Direction.DOWNSTREAM);
          Long bytes = required(f, "bytes") ? longIn(f, "bytes", 0, 1_000_000_000_000L) : null;
          yield link == null || dir == null || bytes == null
              ? null
              : new Fault.LimitData(link, dir, bytes);
        }
        case "kill" -> {
          Target t = target(value, kp, topology);
          yield t == null ? null : new Fault.Kill(t);
        }
        case "pause" -> {
          Target t = target(value, kp, topology);
          yield t == null ? null : new Fault.Pause(t);
        }
        case "restart" -> {
          Target t = target(value, kp, topology);
          yield t == null ? null : new Fault.Restart(t);
        }
        case "crash" -> crash(f, value, kp, topology);
        case "duplicate" -> {
          Double fr = fractionValue(value, kp, false);
          yield fr == null ? null : new Fault.Duplicate(fr);
        }
        case "reorder" -> {
          Long window = longValueIn(value, kp, 2, 100_000, "a window of records");
          yield window == null ? null : new Fault.Reorder(window.intValue());
        }
        case "redeliver" -> redeliver(value, kp);
        case "schema-drift" -> {
          Double fr = fractionValue(value, kp, false);
          yield fr == null ? null : new Fault.SchemaDrift(fr);
        }
        case "slow-commit" -> slowCommit(value, kp, workload, f.has("for"));
        case "poison" -> {
          Long count = longValueIn(value, kp, 1, MAX_POISON, "a count of poison records");
          List<PoisonKind> kinds =
              f.has("kinds") ? poisonKinds(f.node("kinds"), f.path("kinds")) : allPoisonKinds();
          yield count == null || kinds == null ? null : new Fault.Poison(count.intValue(), kinds);
        }
        default -> throw new IllegalStateException("fault kind without a reader: " + kind);
      };
    }

    private Fault crash(Obj f, YamlNode value, String kp, Topology topology) {
      List<String> names = new ArrayList<>();
      names.add(Target.Service.CONSUMER.cliName());
      names.addAll(
          Target.names(topology.brokers(), topology.publishers()).stream()
              .filter(n -> n.startsWith("publisher"))
              .toList());
      Target process =
          value instanceof Scalar s
                  && Target.parse(s.text()).orElse(null) instanceof Target.Publisher
                  && beyondTopology(value, kp, topology, names)
              ? null
              : choice(
                  value,
                  kp,
                  "process with crash points",
                  s -> Target.parse(s).filter(x -> names.contains(x.cliName())),
                  names);
      if (!required(f, "point")) {
        return null;
      }
      String point =
          choice(
              f.node("point"),
              f.path("point"),
              "crash point",
              s -> CrashPoints.ALL.contains(s) ? Optional.of(s) : Optional.empty(),
              CrashPoints.ALL);
      if (process == null || point == null) {
        return null;
      }
      String role = Fault.Crash.role(process);
      if (!point.startsWith(role + ".")) {
        List<String> own = CrashPoints.ALL.stream().filter(p -> p.startsWith(role + ".")).toList();
        problem(
            f.node("point"),
            f.path("point"),
            "'"
                + point
                + "' is not a crash point of the "
                + role
                + ", expected one of "
                + String.join(", ", own));
        return null;
      }
      return new Fault.Crash(process, point);
    }

    private Fault slowCommit(YamlNode value, String kp, WorkloadSpec workload, boolean timed) {
      Long writers = longValueIn(value, kp, 1, MAX_WRITERS, "a number of writers");
      if (writers == null) {
        return null;
      }
      int w = workload == null ? Integer.MAX_VALUE : workload.writers();
      if (writers > w) {
        problem(
            value,
            kp,
            "found "
                + writers
                + ", out of range, expected a number of writers in 1.."
                + w
                + " (the workload has "
                + w
                + ")");
        return null;
      }
      if (writers == w && !timed) {
        problem(
            value,
            kp,
            "found "
                + writers
                + ", every writer of the workload, without 'for', expected a 'for' (held \"until"
                + " the other writers finished\", these would never be released) or fewer than "
                + w
                + " writers");
        return null;
      }
      return new Fault.SlowCommit(writers.intValue());
    }

    private Fault redeliver(YamlNode value, String kp) {
      if (value instanceof Scalar s && s.isString() && s.text().equals("earliest")) {
        return new Fault.Redeliver(new Fault.Rewind.ToStart());
      }
      if (value instanceof Scalar s && s.isInteger()) {
        Long n = longValueIn(value, kp, 1, Long.MAX_VALUE, "a number of records");
        return n == null ? null : new Fault.Redeliver(new Fault.Rewind.By(n));
      }
      problem(
          value,
          kp,
          "found "
              + value.describe()
              + ", expected a number of records to rewind (>= 1) or 'earliest' (offset 0)");
      return null;
    }

    private Trigger trigger(YamlNode node, String path, WorkloadSpec workload) {
      if (node instanceof Scalar s && s.isString()) {
        Duration d = duration(node, path, Duration.ZERO, MAX_TIME);
        return d == null ? null : new Trigger.After(d);
      }
      List<String> keys = new ArrayList<>();
      keys.add("after");
      keys.addAll(Trigger.Counter.keys());
      Obj at = obj(node, path, keys, "a trigger");
      if (at == null) {
        return null;
      }
      if (at.map.keys().size() != 1) {
        problem(
            at.map,
            path,
            (at.map.keys().isEmpty() ? "empty trigger" : "found " + at.map.keys().keySet())
                + ", expected exactly one of "
                + String.join(", ", keys)
                + ", e.g. { after: 3s } or { events_applied: 300 }");
        return null;
      }
      String key = at.map.keys().keySet().iterator().next();
      if (!keys.contains(key)) {
        return null;
      }
      if (key.equals("after")) {
        Duration d = duration(at.node("after"), at.path("after"), Duration.ZERO, MAX_TIME);
        return d == null ? null : new Trigger.After(d);
      }
      Trigger.Counter counter = Trigger.Counter.parse(key).orElseThrow();
      Long count = longValueIn(at.node(key), at.path(key), 0, Long.MAX_VALUE, "a count of events");
      if (count == null) {
        return null;
      }
      if (workload != null && count > workload.minEvents()) {
        problem(
            at.node(key),
            at.path(key),
            count
                + " may never be reached, expected at most "
                + workload.minEvents()
                + ": the workload commits at least that many events (orders x (1 +"
                + " updates_per_order))");
        return null;
      }
      return new Trigger.Progress(counter, count);
    }

    // ------------------------------------------------------------ names

    private Link link(YamlNode node, String path) {
      return choice(node, path, "link", Link::parse, Link.names());
    }

    private Direction direction(Obj f, Direction fallback) {
      if (!f.has("direction")) {
        return fallback;
      }
      return choice(
          f.node("direction"),
          f.path("direction"),
          "direction",
          Direction::parse,
          Direction.names());
    }

    private Target target(YamlNode node, String path, Topology topology) {
      List<String> names = Target.names(topology.brokers(), topology.publishers());
      if (beyondTopology(node, path, topology, names)) {
        return null;
      }
      return choice(
          node,
          path,
          "target",
          s -> Target.parse(s).filter(x -> names.contains(x.cliName())),
          names);
    }

    /**
     * Whether {@code node} names a broker or publisher the topology does not run ({@code kafka-3}
     * with {@code brokers: 1}, {@code publisher-3} with {@code publishers: 2}); says so as a
     * problem.
     */
    private boolean beyondTopology(
        YamlNode node, String path, Topology topology, List<String> names) {
      if (!(node instanceof Scalar s)) {
        return false;
      }
      Target target = Target.parse(s.text()).orElse(null);
      int runs;
      String kind;
      String hint;
      if (target instanceof Target.Broker b && b.number() > topology.brokers()) {
        runs = topology.brokers();
        kind = "broker";
        hint = "";
      } else if (target instanceof Target.Publisher p && p.number() > topology.publishers()) {
        runs = topology.publishers();
        kind = "publisher";
        hint = ": set topology.publishers";
      } else {
        return false;
      }
      problem(
          node,
          path,
          "unknown target '"
              + s.text()
              + "' (the topology has "
              + runs
              + " "
              + kind
              + (runs == 1 ? "" : "s")
              + hint
              + "), expected one of "
              + String.join(", ", names));
      return true;
    }

    private List<PoisonKind> poisonKinds(YamlNode node, String path) {
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

    private static List<PoisonKind> allPoisonKinds() {
      return List.of(PoisonKind.values());
    }

    private <T> T choice(
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

    private static String didYouMean(String typed, List<String> names) {
      return Suggest.closest(typed, names).map(n -> " (did you mean '" + n + "'?)").orElse("");
    }

    // ------------------------------------------------------------ scalars

    private String string(Obj o, String key) {
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

    private Boolean bool(YamlNode node, String path) {
      if (node instanceof Scalar s
          && (s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE
              || s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_FALSE)) {
        return s.token() == com.fasterxml.jackson.core.JsonToken.VALUE_TRUE;
      }
      problem(node, path, "found " + node.describe() + ", expected true or false");
      return null;
    }

    private Integer integer(Obj o, String key, int min, int max) {
      Long v = longValueIn(o.node(key), o.path(key), min, max, "an integer");
      return v == null ? null : v.intValue();
    }

    private Long longIn(Obj o, String key, long min, long max) {
      return longValueIn(o.node(key), o.path(key), min, max, "an integer");
    }

    private Long longValue(YamlNode node, String path) {
      return longValueIn(node, path, Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
    }

    private Long longValueIn(YamlNode node, String path, long min, long max, String what) {
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

    private static String rangeText(long min, long max) {
      if (min == Long.MIN_VALUE && max == Long.MAX_VALUE) {
        return "";
      }
      if (max == Long.MAX_VALUE) {
        return " >= " + min;
      }
      return " in " + min + ".." + max;
    }

    private Double fraction(Obj o, String key, boolean zeroAllowed) {
      return fractionValue(o.node(key), o.path(key), zeroAllowed);
    }

    private Double fractionValue(YamlNode node, String path, boolean zeroAllowed) {
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

    private Duration duration(YamlNode node, String path, Duration min, Duration max) {
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
    private final class Obj {
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

    private Obj obj(YamlNode node, String path, List<String> allowed) {
      return obj(node, path, allowed, path.isEmpty() ? "a scenario" : path);
    }

    private Obj obj(YamlNode node, String path, List<String> allowed, String what) {
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

    private boolean required(Obj o, String key) {
      if (o.has(key)) {
        return true;
      }
      problem(o.map, o.path.isEmpty() ? key : o.path(key), "missing required field '" + key + "'");
      return false;
    }

    private <T> T build(YamlNode at, String path, java.util.function.Supplier<T> make, T fallback) {
      try {
        return make.get();
      } catch (IllegalArgumentException | NullPointerException e) {
        problem(at, path, e.getMessage());
        return fallback;
      }
    }

    private void problem(YamlNode at, String path, String message) {
      problems.add(new Problem(source, at.line(), at.column(), path, message));
    }

    private void problem(Key at, String path, String message) {
      problems.add(new Problem(source, at.line(), at.column(), path, message));
    }
  }
}
