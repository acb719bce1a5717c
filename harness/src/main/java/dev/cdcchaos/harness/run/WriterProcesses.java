package dev.cdcchaos.harness.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cdcchaos.harness.history.History;
import dev.cdcchaos.harness.sut.StageCommand;
import dev.cdcchaos.harness.workload.SourceOp;
import dev.cdcchaos.pipeline.control.ControlSettings;
import dev.cdcchaos.pipeline.source.ScriptedWriter;
import dev.cdcchaos.pipeline.variant.Variant;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The workload's writers as child processes ({@code workload.writers_in: processes}): writer {@code
 * w} is the process {@code writer-w}, a {@link ScriptedWriter} that runs its share of the
 * operations from a script file and journals each attempt. Each is a {@link PipelineProcess}, so
 * the supervisor restarts it after a death, the nemesis kills, pauses, restarts and crashes it
 * through the same control files as the publisher and consumer, and the harness's process reaper
 * ends it with the harness.
 *
 * <p>A tailer thread turns the journals into the run's {@link History}: an {@code invoke} line
 * invokes the operation, {@code ok}, {@code fail} and {@code info} complete it. An attempt whose
 * process died before it journaled an outcome (the process is gone, or another life of it took
 * over) is completed as {@code info}: whether it committed is unknown, as for a Jepsen client that
 * crashed mid-operation. Op times are when the tailer read the line (it polls every 20 ms).
 */
final class WriterProcesses {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long TAIL_MS = 20;

  /** One writer process and what the tailer knows of its journal. */
  private static final class Writer {
    final int number;
    final PipelineProcess process;
    final Path journal;
    final List<SourceOp> ops;
    long offset;
    History.Handle pending;
    OptionalLong pidAtInvoke = OptionalLong.empty();
    boolean done;
    long heldFor = -1;

    Writer(int number, PipelineProcess process, Path journal, List<SourceOp> ops) {
      this.number = number;
      this.process = process;
      this.journal = journal;
      this.ops = ops;
    }

    String name() {
      return "writer-" + number;
    }
  }

  private final History history;
  private final List<Writer> writers = new ArrayList<>();
  private final AtomicLong committed = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final Thread tailer;
  private volatile boolean stopped;
  private volatile String failure;
  private long holds;

  /**
   * Writes each writer's script and settings under {@code work} and prepares (does not start) its
   * process.
   *
   * @param perWriter the operations of each writer, writer 0 first
   * @param ratePerSecond the workload's rate over all writers (0: as fast as possible)
   * @param jdbcUrl the source database through the {@code writer->postgres} link
   */
  WriterProcesses(
      History history,
      List<List<SourceOp>> perWriter,
      int ratePerSecond,
      String jdbcUrl,
      Variant variant,
      Path work,
      StageCommand command) {
    this.history = history;
    double rate = ratePerSecond <= 0 ? 0 : (double) ratePerSecond / perWriter.size();
    for (int w = 0; w < perWriter.size(); w++) {
      String name = "writer-" + w;
      PipelineProcess.StageFiles files = PipelineProcess.files(work, name);
      Path script = work.resolve(name + "-script.jsonl");
      Path journal = work.resolve(name + "-journal.jsonl");
      try {
        Files.createDirectories(work);
        Files.write(script, script(w, perWriter.get(w)));
        Files.deleteIfExists(journal);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the script of " + name, e);
      }
      new ScriptedWriter.Settings(
              name,
              jdbcUrl,
              script.toString(),
              journal.toString(),
              files.control().toString(),
              files.status().toString(),
              rate,
              variant.cliName())
          .save(files.settings());
      writers.add(
          new Writer(w, PipelineProcess.forStage(name, command, files), journal, perWriter.get(w)));
    }
    this.tailer = new Thread(this::tailLoop, "writer-journals");
    tailer.setDaemon(true);
  }

  /** The script of writer {@code w}: one JSON line per operation, keyed as the in-JVM writers. */
  static byte[] script(int w, List<SourceOp> ops) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < ops.size(); i++) {
      SourceOp op = ops.get(i);
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("n", i);
      line.put("f", op.f());
      line.put("order", op.orderId());
      line.put("key", "w" + w + "-" + i);
      if (op instanceof SourceOp.Create c) {
        line.put("customer", c.customerId());
        line.put("total", c.totalCents());
        line.put("currency", c.currency());
      } else if (op instanceof SourceOp.Update u) {
        line.put("status", u.status());
        line.put("total", u.totalCents());
      }
      line.put("extras", op.extras());
      try {
        out.append(JSON.writeValueAsString(line)).append('\n');
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The writer processes, writer 0 first. */
  List<PipelineProcess> processes() {
    return writers.stream().map(w -> w.process).toList();
  }

  void start() {
    writers.forEach(w -> w.process.start());
    tailer.start();
  }

  long committed() {
    return committed.get();
  }

  long retries() {
    return retries.get();
  }

  /** Whether every writer journaled the end of its script (or one of them cannot run). */
  boolean finished() {
    if (failure != null) {
      return true;
    }
    synchronized (this) {
      return writers.stream().allMatch(w -> w.done);
    }
  }

  /** Why a writer cannot run its script (its settings were refused), if one cannot. */
  Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Asks every writer process to hold its transaction open the next time it reaches {@code point}
   * (see {@code ControlSettings.Hold}); returns the hold's id for {@link #awaitHeld} and {@link
   * #release}.
   */
  synchronized long hold(String point) {
    long id = ++holds;
    for (Writer w : writers) {
      w.process.control(w.process.control().withHold(new ControlSettings.Hold(point, id)));
    }
    return id;
  }

  /**
   * Waits up to {@code within} until a writer journaled that it holds its transaction open for hold
   * {@code id}, then a little longer (at most {@link #MORE_HELD}) for the others; returns the
   * writers held, empty when none was in time.
   */
  List<String> awaitHeld(long id, java.time.Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    long firstSeen = 0;
    while (System.nanoTime() < deadline) {
      List<String> held;
      synchronized (this) {
        held = writers.stream().filter(w -> w.heldFor == id).map(Writer::name).toList();
        if (held.size() == writers.size()) {
          return held;
        }
      }
      if (!held.isEmpty()) {
        if (firstSeen == 0) {
          firstSeen = System.nanoTime();
        } else if (System.nanoTime() - firstSeen > MORE_HELD.toNanos()) {
          return held;
        }
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    synchronized (this) {
      return writers.stream().filter(w -> w.heldFor == id).map(Writer::name).toList();
    }
  }

  /** How long after the first writer is held the others may still join the hold. */
  static final java.time.Duration MORE_HELD = java.time.Duration.ofMillis(300);

  /** Lifts hold {@code id}: each writer held goes on with its transaction. */
  synchronized void release(long id) {
    for (Writer w : writers) {
      ControlSettings now = w.process.control();
      if (now.hold() != null && now.hold().id() == id) {
        w.process.control(now.withHold(null));
      }
    }
  }

  /**
   * Stops every writer process (SIGTERM: each finishes the write in hand), reads what their
   * journals say last, and completes the attempts still open as {@code info}.
   */
  void stop() {
    stopped = true;
    tailer.interrupt();
    try {
      tailer.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    writers.forEach(w -> w.process.stop());
    synchronized (this) {
      for (Writer w : writers) {
        tail(w);
        if (w.pending != null) {
          history.info(w.pending, Map.of("error", "the run stopped the writer during the write"));
          w.pending = null;
        }
      }
    }
  }

  private void tailLoop() {
    while (!stopped) {
      synchronized (this) {
        for (Writer w : writers) {
          tail(w);
        }
      }
      try {
        Thread.sleep(TAIL_MS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Reads the writer's new journal lines into the history; notes a death in mid-write. */
  private void tail(Writer w) {
    // liveness first: whatever a process that is gone now wrote is in the file already
    boolean running = w.process.isRunning();
    OptionalLong pid = w.process.pid();
    for (String line : newLines(w)) {
      step(w, line);
    }
    if (w.pending != null && (!running || !pid.equals(w.pidAtInvoke))) {
      history.info(
          w.pending,
          Map.of(
              "error",
              "the writer process died during the write"
                  + (w.pidAtInvoke.isPresent() ? " (pid " + w.pidAtInvoke.getAsLong() + ")" : "")));
      w.pending = null;
    }
    if (!running
        && !w.process.wantedUp()
        && w.process.exitCode().orElse(0) == 2
        && failure == null) {
      failure = w.name() + " refused its settings (exit 2): " + w.process.logTail(3).strip();
    }
  }

  private void step(Writer w, String line) {
    JsonNode s;
    try {
      s = JSON.readTree(line);
    } catch (IOException e) {
      history.note(w.name(), "bad-journal-line", Map.of("line", line));
      return;
    }
    String t = s.path("t").asText();
    int n = s.path("n").asInt(-1);
    switch (t) {
      case "invoke" -> {
        if (w.pending != null) {
          history.info(
              w.pending, Map.of("error", "the writer process died during the write (restarted)"));
        }
        SourceOp op = n >= 0 && n < w.ops.size() ? w.ops.get(n) : null;
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("order", op == null ? -1L : op.orderId());
        value.put("key", "w" + w.number + "-" + n);
        w.pending = history.invoke(w.name(), op == null ? "unknown" : op.f(), value);
        w.pidAtInvoke = w.process.pid();
      }
      case "ok", "fail", "info" -> {
        if (w.pending == null) {
          history.note(w.name(), "outcome-without-invoke", Map.of("line", line));
          return;
        }
        if (t.equals("ok")) {
          // with the order, so accounting checks that each acknowledged write has its event
          history.ok(
              w.pending,
              Map.of(
                  "orderId",
                  n >= 0 && n < w.ops.size() ? w.ops.get(n).orderId() : -1L,
                  "version",
                  s.path("version").asLong(),
                  "event",
                  s.path("event").asText()));
          committed.incrementAndGet();
        } else if (t.equals("fail")) {
          history.fail(w.pending, Map.of("error", s.path("error").asText()));
        } else {
          history.info(w.pending, Map.of("error", s.path("error").asText()));
          retries.incrementAndGet();
        }
        w.pending = null;
      }
      case "held" -> {
        w.heldFor = s.path("hold").asLong(-1);
        history.note(
            w.name(),
            "held-in-transaction",
            Map.of("point", s.path("point").asText(), "key", "w" + w.number + "-" + n));
      }
      case "released" ->
          history.note(w.name(), "released", Map.of("key", "w" + w.number + "-" + n));
      case "done" -> w.done = true;
      default -> history.note(w.name(), "bad-journal-line", Map.of("line", line));
    }
  }

  /** The complete lines appended to the writer's journal since the last read. */
  private static List<String> newLines(Writer w) {
    List<String> lines = new ArrayList<>();
    if (!Files.exists(w.journal)) {
      return lines;
    }
    try (RandomAccessFile f = new RandomAccessFile(w.journal.toFile(), "r")) {
      long length = f.length();
      if (length <= w.offset) {
        return lines;
      }
      byte[] bytes = new byte[(int) Math.min(length - w.offset, 1 << 20)];
      f.seek(w.offset);
      f.readFully(bytes);
      int start = 0;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          lines.add(new String(bytes, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      w.offset += start; // a line without its newline yet is read next time
    } catch (IOException e) {
      // read again next time
    }
    return lines;
  }
}
