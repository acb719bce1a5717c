package dev.cdcchaos.harness.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM as a {@link Node}: a main class with arguments, JVM options and environment, on this
 * JVM's class path (under Failsafe and the {@code ./cdc-chaos} launcher that is the real class
 * path), its stdout and stderr appended to a log file. Used for Kafka brokers and for the
 * pipeline's publisher and consumer processes. The process is registered with {@link
 * ChildProcesses}, so it dies with this JVM.
 *
 * <p>Each process gets a temp directory of its own ({@code java.io.tmpdir}), emptied before every
 * start and after every stop or kill. Libraries with native code (DuckDB's ~55 MB, lz4, snappy)
 * unpack themselves into the temp directory and delete the copy only on a normal JVM exit, so a
 * process that is killed or halts at a crash point would otherwise leave it behind in {@code /tmp}
 * each time: a full detection matrix used to fill the disk.
 */
public final class JavaProcess implements Node {
  private final String name;
  private final String mainClass;
  private final List<String> args;
  private final List<String> jvmOptions;
  private final Map<String, String> env;
  private final Path logFile;
  private final Path workingDir;
  private final String classpath;
  private final Duration stopTimeout;
  private final Path tmpDir;

  /** A whole command line given as is (a stage of a pipeline description), or null. */
  private final List<String> rawCommand;

  private Process process;
  private boolean paused;

  private JavaProcess(Builder b) {
    this.name = b.name;
    this.mainClass = b.mainClass;
    this.args = List.copyOf(b.args);
    this.jvmOptions = List.copyOf(b.jvmOptions);
    this.env = Map.copyOf(b.env);
    this.logFile = Objects.requireNonNull(b.logFile, "logFile");
    this.workingDir = b.workingDir == null ? logFile.toAbsolutePath().getParent() : b.workingDir;
    // the child runs in another working directory: relative class path entries must not change
    // meaning
    this.classpath =
        java.util.Arrays.stream(b.classpath.split(java.io.File.pathSeparator))
            .filter(e -> !e.isBlank())
            .map(e -> Path.of(e).toAbsolutePath().normalize().toString())
            .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    this.stopTimeout = b.stopTimeout;
    // beside the log, which is always a directory the harness owns (a working directory may be a
    // source tree: NoLeakIT runs its child in the module directory)
    this.tmpDir = logFile.toAbsolutePath().getParent().resolve(".tmp-" + name);
    this.rawCommand = b.rawCommand == null ? null : List.copyOf(b.rawCommand);
  }

  /** Starts configuring a process named {@code name} that runs {@code mainClass}. */
  public static Builder builder(String name, String mainClass) {
    return new Builder(name, mainClass);
  }

  @Override
  public String name() {
    return name;
  }

  /** Where stdout and stderr go (appended across restarts). */
  public Path logFile() {
    return logFile;
  }

  /** The full command line, for logs and reports (class-data sharing options left out). */
  public List<String> command() {
    return command(List.of());
  }

  private List<String> command(List<String> sharing) {
    if (rawCommand != null) {
      List<String> command = new ArrayList<>(rawCommand);
      // a JVM gets its own temp directory as an option, any program as TMPDIR (see start())
      if (isJava(command)) {
        if (command.stream().noneMatch(o -> o.startsWith("-Djava.io.tmpdir="))) {
          command.add(1, "-Djava.io.tmpdir=" + tmpDir);
        }
        command.addAll(1, sharing);
      }
      return command;
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(sharing);
    command.addAll(jvmOptions);
    if (jvmOptions.stream().noneMatch(o -> o.startsWith("-Djava.io.tmpdir="))) {
      command.add("-Djava.io.tmpdir=" + tmpDir);
    }
    command.add("-cp");
    command.add(classpath);
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private static String commandForLog(List<String> command) {
    return command.stream()
        .map(
            a ->
                a.length() > 300 && a.contains(java.io.File.pathSeparator)
                    ? "<class path of " + a.split(java.io.File.pathSeparator).length + " entries>"
                    : a)
        .collect(java.util.stream.Collectors.joining(" "));
  }

  private static boolean isJava(List<String> command) {
    return !command.isEmpty() && command.get(0).endsWith("/bin/java");
  }

  /**
   * The class-data sharing options for this process: from its main class and class path, or, for a
   * raw java command line, from the {@code -cp} and main class found in it.
   */
  private List<String> sharing() {
    if (rawCommand == null) {
      return ClassDataSharing.options(mainClass, args, classpath);
    }
    if (!isJava(rawCommand)) {
      return List.of();
    }
    for (int i = 1; i < rawCommand.size() - 1; i++) {
      String o = rawCommand.get(i);
      if (o.equals("-cp") || o.equals("-classpath") || o.equals("--class-path")) {
        String cp = rawCommand.get(i + 1);
        for (int j = i + 2; j < rawCommand.size(); j++) {
          if (!rawCommand.get(j).startsWith("-")) {
            return ClassDataSharing.options(
                rawCommand.get(j), rawCommand.subList(j + 1, rawCommand.size()), cp);
          }
        }
        return List.of();
      }
    }
    return List.of();
  }

  /** Launches the process and returns at once; callers wait for readiness their own way. */
  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    try {
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      Files.createDirectories(workingDir);
      clearTmp();
      Files.createDirectories(tmpDir);
      List<String> sharing = sharing();
      List<String> command = command(sharing);
      Files.writeString(
          logFile,
          "---- " + name + " starting: " + commandForLog(command) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      ProcessBuilder pb =
          new ProcessBuilder(command)
              .directory(workingDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
      pb.environment().put("TMPDIR", tmpDir.toString());
      pb.environment().putAll(env);
      process = ChildProcesses.register(pb.start());
      process.onExit().thenRun(() -> ClassDataSharing.collect(sharing));
      paused = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name + " (" + mainClass + ")", e);
    }
  }

  /** SIGTERM, then SIGKILL when the process has not exited within the stop timeout. */
  @Override
  public synchronized void stop() {
    if (isRunning()) {
      resumeIfPaused();
      process.destroy();
      if (!ChildProcesses.awaitExit(process.toHandle(), stopTimeout.toMillis())) {
        ChildProcesses.killTree(process.toHandle());
      }
    }
    clearTmp();
  }

  @Override
  public synchronized void kill() {
    if (process == null) {
      return;
    }
    ChildProcesses.killTree(process.toHandle());
    paused = false;
    clearTmp();
  }

  /** The process's own {@code java.io.tmpdir}. */
  public Path tmpDir() {
    return tmpDir;
  }

  /** Deletes what the last run left in its temp directory (best effort: it is only temp files). */
  private void clearTmp() {
    if (!Files.isDirectory(tmpDir)) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(tmpDir)) {
      for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        try {
          Files.deleteIfExists(f);
        } catch (IOException e) {
          // still in use or already gone: the next start tries again
        }
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort, as above
    }
  }

  @Override
  public synchronized void pause() {
    if (!isRunning() || paused) {
      return;
    }
    ChildProcesses.pauseTree(process.toHandle());
    paused = true;
  }

  @Override
  public synchronized void resume() {
    resumeIfPaused();
  }

  private void resumeIfPaused() {
    if (paused && isRunning()) {
      ChildProcesses.resumeTree(process.toHandle());
    }
    paused = false;
  }

  @Override
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public synchronized boolean isRunning() {
    return process != null && !ChildProcesses.isGone(process.toHandle());
  }

  /** Whether the process is stopped by {@link #pause()}. */
  public synchronized boolean isPaused() {
    return paused && isRunning();
  }

  @Override
  public synchronized OptionalLong pid() {
    return isRunning() ? OptionalLong.of(process.pid()) : OptionalLong.empty();
  }

  /** The exit code of the last run, once it has ended. */
  public synchronized OptionalInt exitCode() {
    if (process == null || isRunning()) {
      return OptionalInt.empty();
    }
    return awaitExit(Duration.ofSeconds(5));
  }

  /** Waits up to {@code timeout} for the process to end; returns its exit code if it did. */
  public OptionalInt awaitExit(Duration timeout) {
    Process p;
    synchronized (this) {
      p = process;
    }
    if (p == null) {
      return OptionalInt.empty();
    }
    try {
      return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)
          ? OptionalInt.of(p.exitValue())
          : OptionalInt.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    }
  }

  /** The last {@code lines} lines of the log, for error messages. */
  public String logTail(int lines) {
    return LogFiles.tail(logFile, lines);
  }

  @Override
  public String toString() {
    return name + (isRunning() ? " (pid " + process.pid() + ")" : " (down)");
  }

  /** Configures a {@link JavaProcess}. */
  public static final class Builder {
    private final String name;
    private final String mainClass;
    private final List<String> args = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private Path logFile;
    private Path workingDir;
    private String classpath = System.getProperty("java.class.path");
    private Duration stopTimeout = Duration.ofSeconds(10);
    private List<String> rawCommand;

    private Builder(String name, String mainClass) {
      this.name = Objects.requireNonNull(name, "name");
      this.mainClass = Objects.requireNonNull(mainClass, "mainClass");
    }

    public Builder args(List<String> values) {
      args.addAll(values);
      return this;
    }

    public Builder args(String... values) {
      return args(List.of(values));
    }

    /** JVM options such as {@code -Xmx256m} or {@code -Dkey=value}. */
    public Builder jvmOptions(List<String> values) {
      jvmOptions.addAll(values);
      return this;
    }

    public Builder jvmOptions(String... values) {
      return jvmOptions(List.of(values));
    }

    /** Environment variables added to this JVM's environment. */
    public Builder env(Map<String, String> values) {
      env.putAll(values);
      return this;
    }

    public Builder env(String key, String value) {
      env.put(key, value);
      return this;
    }

    /** Required: where stdout and stderr are appended. */
    public Builder logFile(Path value) {
      logFile = value;
      return this;
    }

    /** The working directory; defaults to the log file's directory. */
    public Builder workingDir(Path value) {
      workingDir = value;
      return this;
    }

    /** The class path; defaults to this JVM's {@code java.class.path}. */
    public Builder classpath(String value) {
      classpath = value;
      return this;
    }

    /**
     * Runs this whole command line instead of {@code java -cp <class path> <main class> <args>} (a
     * pipeline stage's command, any program); a JVM among them still gets its own temp directory.
     */
    public Builder command(List<String> value) {
      if (value.isEmpty()) {
        throw new IllegalArgumentException("an empty command line for " + name);
      }
      rawCommand = List.copyOf(value);
      return this;
    }

    /** How long {@link JavaProcess#stop()} waits after SIGTERM before it SIGKILLs. */
    public Builder stopTimeout(Duration value) {
      stopTimeout = value;
      return this;
    }

    public JavaProcess build() {
      return new JavaProcess(this);
    }
  }
}
