package dev.cdcchaos.pipeline.source;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.pipeline.control.Control;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.control.StatusFile;
import dev.cdcchaos.pipeline.crash.CrashPoints;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The application's write path as a process of its own: one writer that runs a script of order
 * operations (the harness's share of the workload for it) through {@link OrderWriter}, so that the
 * harness can kill, pause and crash it between the statements of a write, as it does the publisher
 * and the consumer.
 *
 * <p>The script is a JSON-lines file, one operation per line: {@code {"n": 0, "f": "create",
 * "order": 5, "customer": 3, "total": 1200, "currency": "EUR", "key": "w0-0", "extras": {}}}, and
 * {@code update} (with {@code status}, {@code total}), {@code cancel}, {@code delete}. Each
 * operation is written under its {@code key}, so a retried one is written at most once.
 *
 * <p>What happened is appended to the journal, one JSON line per step, each line in one {@code
 * write} (a process killed at any moment leaves whole lines): {@code {"t":"invoke","n":3}} before
 * each attempt, then {@code {"t":"ok","n":3,"version":2,"event":"..."}}, {@code
 * {"t":"fail","n":3,"error":"..."}} (refused by the application's rules: certainly not written) or
 * {@code {"t":"info","n":3,"error":"..."}} (the outcome is unknown; the attempt is retried under
 * the same key), and {@code {"t":"done"}} after the last operation. An invoke without an outcome is
 * an attempt the process died in. A restarted writer reads its journal and goes on with the first
 * operation that has no {@code ok} or {@code fail}, retrying the one it died in under its key.
 *
 * <p>After the script it stays up, idle, until it is terminated, so that a process manager does not
 * take its exit for a crash.
 */
public final class ScriptedWriter {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How long a writer waits before retrying a write whose outcome is unknown. */
  private static final long RETRY_MS = 100;

  /**
   * The writer's settings file.
   *
   * @param name the writer's name in the journal and the status ({@code writer-0})
   * @param jdbcUrl the source database, through the {@code writer->postgres} link
   * @param script the JSON-lines file of operations
   * @param journal the JSON-lines file the writer appends what happened to
   * @param control the harness's control file (crash points), or null
   * @param status the status file, or null
   * @param ratePerSecond operations per second of this writer; 0 = as fast as possible
   * @param variant the pipeline variant ({@code dual-write} changes the write path)
   */
  @JsonIgnoreProperties(ignoreUnknown = false)
  public record Settings(
      String name,
      String jdbcUrl,
      String script,
      String journal,
      String control,
      String status,
      double ratePerSecond,
      String variant) {
    public Settings {
      if (name == null || name.isBlank()) {
        throw new IllegalArgumentException("writer settings: name is required");
      }
      if (script == null || journal == null) {
        throw new IllegalArgumentException("writer settings: script and journal are required");
      }
      if (ratePerSecond < 0) {
        throw new IllegalArgumentException("writer settings: ratePerSecond must be >= 0");
      }
      Variant.parse(variant == null ? Variant.CORRECT.cliName() : variant);
    }

    /** Reads a settings file; a bad one is an {@link IllegalArgumentException} naming it. */
    public static Settings load(Path file) {
      try {
        return JSON.readValue(file.toFile(), Settings.class);
      } catch (IOException e) {
        Throwable cause = e.getCause() instanceof IllegalArgumentException iae ? iae : e;
        throw new IllegalArgumentException(file + ": " + cause.getMessage(), e);
      }
    }

    /** Writes this to {@code file}. */
    public void save(Path file) {
      try {
        Files.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write " + file, e);
      }
    }
  }

  private final Settings settings;
  private final Control control;
  private final StatusFile status;

  /** The longest a writer holds its transaction open for the harness. */
  private static final long HOLD_MAX_MS = 30_000;

  private volatile boolean stopped;
  private volatile boolean finished;
  private long committed;
  private FileOutputStream journal;
  private int current;
  private long lastHold = -1;

  public ScriptedWriter(Settings settings) {
    this.settings = settings;
    this.control = Control.open(settings.control() == null ? null : Path.of(settings.control()));
    this.status = new StatusFile(settings.status() == null ? null : Path.of(settings.status()));
  }

  /** Asks the writer to stop after the operation in hand. */
  public void stop() {
    stopped = true;
  }

  /** Whether the loop has returned. */
  public boolean finished() {
    return finished;
  }

  /** Runs the script from where the journal says it stopped, then idles until {@link #stop()}. */
  public void run() throws InterruptedException {
    try {
      List<JsonNode> script = readScript(Path.of(settings.script()));
      Path journalFile = Path.of(settings.journal());
      int next = resumeAt(journalFile);
      report(next, false);
      Variant variant = Variant.parse(settings.variant() == null ? "correct" : settings.variant());
      CrashPoints crash = control.crashPoints();
      try (FileOutputStream out = new FileOutputStream(journalFile.toFile(), true);
          OrderWriter orders =
              new OrderWriter(
                  SourceDatabase.dataSource(settings.jdbcUrl()),
                  Clock.systemUTC(),
                  UUID::randomUUID,
                  BeforeCommit.NONE,
                  point -> {
                    crash.reach(point);
                    hold(point);
                  },
                  Transactions.of(variant))) {
        journal = out;
        long start = System.nanoTime();
        for (int i = next; i < script.size() && !stopped; i++) {
          if (settings.ratePerSecond() > 0) {
            long due = start + (long) ((i - next) * 1e9 / settings.ratePerSecond());
            long wait = due - System.nanoTime();
            if (wait > 0) {
              TimeUnit.NANOSECONDS.sleep(wait);
            }
          }
          current = i;
          apply(orders, journal, script.get(i));
          report(i + 1, false);
        }
        if (!stopped) {
          line(journal, Map.of("t", "done"));
          report(script.size(), true);
        }
      }
      while (!stopped) {
        Thread.sleep(200);
        report(script.size(), true);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      finished = true;
    }
  }

  /**
   * Holds the open transaction at {@code point} while the harness asks for it: journals {@code
   * held}, waits until the hold is lifted, journals {@code released}.
   */
  private void hold(String point) {
    ControlSettings.Hold h = control.settings().hold();
    if (h == null || !h.point().equals(point) || h.id() == lastHold) {
      return;
    }
    lastHold = h.id();
    try {
      line(journal, Map.of("t", "held", "n", current, "point", point, "hold", h.id()));
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HOLD_MAX_MS);
      while (System.nanoTime() < deadline && !stopped) {
        ControlSettings.Hold now = control.refresh().hold();
        if (now == null || now.id() != h.id()) {
          break;
        }
        Thread.sleep(5);
      }
      line(journal, Map.of("t", "released", "n", current, "hold", h.id()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the journal", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void apply(OrderWriter orders, FileOutputStream journal, JsonNode op)
      throws IOException, InterruptedException {
    int n = op.path("n").asInt();
    String key = op.path("key").asText();
    Map<String, Object> extras = new HashMap<>();
    op.path("extras").fields().forEachRemaining(e -> extras.put(e.getKey(), value(e.getValue())));
    Change change = new Change(key, extras);
    while (true) {
      line(journal, Map.of("t", "invoke", "n", n));
      try {
        OrderEvent event = write(orders, op, change);
        committed++;
        line(
            journal,
            Map.of("t", "ok", "n", n, "version", event.version(), "event", event.eventId()));
        return;
      } catch (OrderWriter.Refused e) {
        line(journal, Map.of("t", "fail", "n", n, "error", String.valueOf(e.getMessage())));
        return;
      } catch (RuntimeException e) {
        // the connection may have died after the commit: unknown outcome, retried under the key
        line(journal, Map.of("t", "info", "n", n, "error", String.valueOf(e.getMessage())));
        if (stopped) {
          return;
        }
        Thread.sleep(RETRY_MS);
      }
    }
  }

  private static OrderEvent write(OrderWriter orders, JsonNode op, Change change) {
    long order = op.path("order").asLong();
    return switch (op.path("f").asText()) {
      case "create" ->
          orders.create(
              order,
              op.path("customer").asLong(),
              op.path("total").asLong(),
              op.path("currency").asText(),
              change);
      case "update" ->
          orders.update(order, op.path("status").asText(), op.path("total").asLong(), change);
      case "cancel" -> orders.cancel(order, change);
      case "delete" -> orders.delete(order, change);
      default ->
          throw new IllegalArgumentException("unknown operation '" + op.path("f").asText() + "'");
    };
  }

  private static Object value(JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    if (v.isNumber()) {
      return v.asDouble();
    }
    if (v.isBoolean()) {
      return v.asBoolean();
    }
    if (v.isNull()) {
      return null;
    }
    return v.isTextual() ? v.asText() : JSON.convertValue(v, Object.class);
  }

  /** The operations of the script file, in order; a line that is not an operation is an error. */
  static List<JsonNode> readScript(Path file) throws IOException {
    List<JsonNode> ops = new ArrayList<>();
    int lineNo = 0;
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      JsonNode op = JSON.readTree(line);
      if (op.path("n").asInt(-1) != ops.size() || !op.hasNonNull("f") || !op.hasNonNull("key")) {
        throw new IllegalArgumentException(
            file + ":" + lineNo + ": expected operation " + ops.size() + " with f and key");
      }
      ops.add(op);
    }
    return ops;
  }

  /**
   * The first operation of the script that has no {@code ok} or {@code fail} in the journal: the
   * operations run in order, so it is one past the last one completed.
   */
  static int resumeAt(Path journal) throws IOException {
    if (!Files.exists(journal)) {
      return 0;
    }
    int next = 0;
    for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode step;
      try {
        step = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a line cut by a machine crash: its step was not completed
      }
      String t = step.path("t").asText();
      if (t.equals("ok") || t.equals("fail")) {
        next = Math.max(next, step.path("n").asInt() + 1);
      }
    }
    return next;
  }

  /** Appends one JSON line in a single write, so a killed process leaves no half line. */
  private static void line(FileOutputStream journal, Map<String, Object> step) throws IOException {
    byte[] json = JSON.writeValueAsBytes(new LinkedHashMap<>(step));
    byte[] out = new byte[json.length + 1];
    System.arraycopy(json, 0, out, 0, json.length);
    out[json.length] = '\n';
    journal.write(out);
  }

  private void report(int next, boolean done) {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("role", "writer");
    s.put("name", settings.name());
    s.put("state", done ? "done" : "writing");
    s.put("next", next);
    s.put("committed", committed);
    s.put("updatedAt", Instant.now().toString());
    s.put("pid", ProcessHandle.current().pid());
    status.write(s);
  }
}
