package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;

/**
 * The process reaper: every process the harness starts is registered here, and a JVM shutdown hook
 * kills each registered process tree and every remaining descendant of this JVM, so a failed test
 * or an interrupted run never leaves Postgres or Kafka behind. Processes that escape the JVM's tree
 * (a postmaster whose {@code runuser} parent died) stay reachable because they are registered by
 * pid.
 */
public final class ChildProcesses {
  private static final Set<ProcessHandle> REGISTERED = ConcurrentHashMap.newKeySet();
  private static final Deque<Runnable> AT_EXIT = new ConcurrentLinkedDeque<>();
  private static volatile boolean shuttingDown;

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(ChildProcesses::shutdown, "cdc-chaos-process-reaper"));
  }

  private ChildProcesses() {}

  /** Registers {@code process} so that it is killed, with its descendants, when the JVM exits. */
  public static Process register(Process process) {
    REGISTERED.add(process.toHandle());
    if (shuttingDown) {
      // started by a thread that raced the JVM's exit (a supervisor restarting a process): it must
      // not outlive us
      killTree(process.toHandle());
    }
    return process;
  }

  /** Registers a process that is not (or no longer) a child of this JVM. */
  public static void register(ProcessHandle handle) {
    REGISTERED.add(handle);
  }

  /**
   * Runs {@code task} when the JVM exits, after all child processes are killed; tasks run in
   * reverse registration order (e.g. deleting a work directory).
   */
  public static void atExit(Runnable task) {
    AT_EXIT.push(task);
  }

  /** The registered processes that are still alive. */
  public static List<ProcessHandle> alive() {
    REGISTERED.removeIf(ChildProcesses::isGone);
    return List.copyOf(REGISTERED);
  }

  /**
   * SIGKILLs {@code root} and all its descendants and waits until they are gone. Descendants are
   * collected before the root dies, because afterwards they are re-parented and unreachable.
   */
  public static void killTree(ProcessHandle root) {
    List<ProcessHandle> all = new ArrayList<>(root.descendants().toList());
    all.add(0, root);
    for (ProcessHandle h : all) {
      h.destroyForcibly();
    }
    for (ProcessHandle h : all) {
      awaitExit(h, 5_000);
    }
    REGISTERED.removeAll(all);
  }

  /**
   * SIGSTOPs {@code root} and its current descendants: the tree stays alive but does nothing, so
   * its clients stall without an error.
   */
  public static void pauseTree(ProcessHandle root) {
    signalTree("STOP", root);
  }

  /** SIGCONTs {@code root} and its current descendants after {@link #pauseTree}. */
  public static void resumeTree(ProcessHandle root) {
    signalTree("CONT", root);
  }

  /**
   * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}, {@code INT}) to {@code pids} with the
   * system's {@code kill} command; the JDK has no portable call for anything but TERM and KILL.
   */
  public static void signal(String signal, List<Long> pids) {
    if (pids.isEmpty()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    pids.forEach(p -> command.add(Long.toString(p)));
    try {
      Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
        throw new IllegalStateException("kill -" + signal + " " + pids + " did not return");
      }
      // a non-zero exit means some pid was already gone, which callers treat as done
    } catch (IOException e) {
      throw new IllegalStateException("cannot run kill -" + signal + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending SIG" + signal, e);
    }
  }

  /** Sends {@code signal} to {@code root} first, then to each of its current descendants. */
  public static void signalTree(String signal, ProcessHandle root) {
    signal(signal, List.of(root.pid()));
    signal(signal, root.descendants().map(ProcessHandle::pid).toList());
  }

  /**
   * Waits up to {@code millis} for {@code handle} to exit; true if it did. Polls, because {@code
   * onExit()} of a process that is not our child is slow to notice.
   */
  public static boolean awaitExit(ProcessHandle handle, long millis) {
    try {
      return Wait.upTo(Duration.ofMillis(millis), Duration.ofMillis(5)).until(() -> isGone(handle));
    } catch (IllegalStateException interrupted) {
      // Wait keeps the interrupt flag set; answer what is known now
      return isGone(handle);
    }
  }

  /**
   * Whether {@code handle} has exited. A zombie counts as exited: it runs no code and holds no
   * port, but {@link ProcessHandle#isAlive()} says true until its new parent reaps it, which on
   * some init systems takes seconds.
   */
  public static boolean isGone(ProcessHandle handle) {
    return !handle.isAlive() || isZombie(handle.pid());
  }

  /**
   * The full command line of {@code handle}, or "" when unknown. Read from {@code /proc} where it
   * exists, because {@link ProcessHandle.Info#commandLine()} stops at 4096 characters, before the
   * arguments of a JVM with a long class path.
   */
  public static String commandLine(ProcessHandle handle) {
    try {
      byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(handle.pid()), "cmdline"));
      return new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').strip();
    } catch (IOException | RuntimeException e) {
      return handle.info().commandLine().orElse("");
    }
  }

  /** Whether {@code pid} is a zombie (state Z or X in {@code /proc/<pid>/stat}). */
  static boolean isZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      int end = stat.lastIndexOf(')');
      char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
      return state == 'Z' || state == 'X';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** Kills every registered process tree and every descendant of this JVM. */
  public static void killAll() {
    for (ProcessHandle h : List.copyOf(REGISTERED)) {
      if (!isGone(h)) {
        killTree(h);
      }
    }
    REGISTERED.clear();
    ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
  }

  private static void shutdown() {
    shuttingDown = true;
    killAll();
    Runnable task;
    while ((task = AT_EXIT.poll()) != null) {
      try {
        task.run();
      } catch (RuntimeException e) {
        System.err.println("cdc-chaos: clean-up at exit failed: " + e);
      }
    }
  }
}
