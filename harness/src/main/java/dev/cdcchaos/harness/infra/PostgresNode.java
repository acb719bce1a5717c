package dev.cdcchaos.harness.infra;

import dev.cdcchaos.harness.BadInputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.regex.Pattern;

/**
 * A real PostgreSQL server from the local binaries, on 127.0.0.1 and a port picked at run time, its
 * data under a work directory. As root (where initdb and postgres refuse to run) the data directory
 * is handed to the {@code postgres} account and the binaries run through {@code runuser -u postgres
 * --}.
 *
 * <p>The server runs with {@code fsync=off} and {@code full_page_writes=off} for speed. That loses
 * nothing when only processes die (kill -9 leaves the kernel's page cache intact, which is what the
 * harness injects), but would not survive a power cut, which the harness does not simulate. {@code
 * synchronous_commit} stays on: off, a kill -9 loses commits still in the WAL buffers in shared
 * memory, and {@code PostgresNodeIT} catches exactly that. {@code -Dcdcchaos.postgres.durable=true}
 * (what {@code bench --durable} sets) starts it with both on, the production setting, so that a
 * published throughput can be compared with other outbox relays.
 *
 * <p>It runs with {@code wal_level=logical} so that a log-based pipeline (Debezium's pgoutput
 * through a replication slot) can capture the outbox; each run's slot is dropped when the run ends,
 * or it would hold WAL for ever. {@code -Dcdcchaos.walLevel=replica} starts it without logical
 * decoding (to measure what it costs, or to see a log-based pipeline refused).
 *
 * <p>The postmaster is started directly (not through {@code pg_ctl}, which daemonizes it) so that
 * it stays in this JVM's process tree and dies with it.
 *
 * <p>A port the node picked itself may be taken by another program before the server binds it; the
 * first {@link #start()} then starts the server on a fresh port (see {@link Ports}), so read {@link
 * #port()} after it. A port given to {@link #create(Path, int)} is never changed: in use, it is a
 * {@link PortInUseException} naming it. Later starts keep the port (proxies point at it).
 */
public final class PostgresNode implements Node {
  /** The unprivileged account initdb and postgres run as when this JVM is root. */
  public static final String OS_USER = "postgres";

  private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(15);
  private static final String START_MARKER = "---- starting: ";

  private final Path workDir;
  private final Path dataDir;
  private final Path socketDir;
  private final Path logFile;
  private final PostgresBinaries binaries;
  private final boolean portPicked;
  private final boolean asRoot;
  private volatile int port;
  private boolean startedOnce;
  private IntConsumer beforeLaunch = port -> {};

  private Process launcher;
  private Duration lastInit = Duration.ZERO;
  private Duration lastStart = Duration.ZERO;
  private ProcessHandle postmaster;
  private boolean paused;

  private PostgresNode(Path workDir, PostgresBinaries binaries, int port, boolean portPicked) {
    this.workDir = workDir.toAbsolutePath();
    this.dataDir = this.workDir.resolve("data");
    this.logFile = this.workDir.resolve("postgres.log");
    this.binaries = binaries;
    this.port = port;
    this.portPicked = portPicked;
    this.asRoot = Commands.isRoot();
    Path sock = this.workDir.resolve("sock");
    // a Unix socket path must fit in 107 bytes: deep work dirs get no socket (JDBC uses TCP anyway)
    this.socketDir = sock.resolve(".s.PGSQL.65535").toString().length() < 100 ? sock : null;
  }

  /**
   * Prepares (does not start) a server whose data lives in {@code workDir/data}, on a free port.
   *
   * @throws BadInputException when no PostgreSQL binaries are installed
   */
  public static PostgresNode create(Path workDir) {
    return new PostgresNode(workDir, PostgresBinaries.find(), Ports.free(), true);
  }

  /**
   * Like {@link #create(Path)} on a given port: it must be free when the server starts, and is not
   * replaced by another one when it is not.
   */
  public static PostgresNode create(Path workDir, int port) {
    return create(workDir, PostgresBinaries.find(), port);
  }

  /** A server from {@code binaries} on {@code port} (0: a free one, replaced if taken). */
  public static PostgresNode create(Path workDir, PostgresBinaries binaries, int port) {
    return new PostgresNode(workDir, binaries, port == 0 ? Ports.free() : port, port == 0);
  }

  /**
   * For tests: a server whose first pick is {@code port}, treated like a port the node picked (a
   * fresh one replaces it when it is taken).
   */
  static PostgresNode createWithFirstPick(Path workDir, int port) {
    return new PostgresNode(workDir, PostgresBinaries.find(), port, true);
  }

  /** For tests: runs just before the server is launched on a port (after the port was checked). */
  synchronized void beforeLaunch(IntConsumer hook) {
    beforeLaunch = hook;
  }

  @Override
  public String name() {
    return "postgres";
  }

  /** The server's port; a picked one may change during the first {@link #start()}. */
  public int port() {
    return port;
  }

  /** The server version, e.g. {@code 15.14}. */
  public String version() {
    return binaries.version();
  }

  public PostgresBinaries binaries() {
    return binaries;
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return logFile;
  }

  /** A direct JDBC URL (no proxy) for {@code database}, as superuser {@code postgres}. */
  public String jdbcUrl(String database) {
    return jdbcUrl("127.0.0.1", port, database);
  }

  /**
   * A JDBC URL for {@code database} on {@code host:port} (e.g. a proxy in front of this server).
   */
  public static String jdbcUrl(String host, int port, String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database + "?user=postgres";
  }

  /**
   * Creates an empty database.
   *
   * @throws BadInputException when {@code name} is not a plain lower-case identifier
   */
  public void createDatabase(String name) {
    if (!DATABASE_NAME.matcher(name).matches()) {
      throw new BadInputException(
          "database name '" + name + "' must match " + DATABASE_NAME.pattern());
    }
    try (Connection c = connect("postgres");
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE \"" + name + "\"");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  /** A direct connection to {@code database}. */
  public Connection connect(String database) throws SQLException {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "5");
    props.setProperty("socketTimeout", "60");
    return DriverManager.getConnection(jdbcUrl(database), props);
  }

  /**
   * A connection attempt while the server starts: given up after 2 s, so that a program of someone
   * else's that holds the port and never answers does not keep us from seeing ours exit.
   */
  private Connection probe() throws SQLException {
    Properties props = new Properties();
    props.setProperty("connectTimeout", "2");
    props.setProperty("loginTimeout", "2");
    props.setProperty("socketTimeout", "5");
    return DriverManager.getConnection(jdbcUrl("postgres"), props);
  }

  @Override
  public synchronized void start() {
    if (isRunning()) {
      return;
    }
    prepareDirectories();
    killStalePostmaster();
    lastInit = Duration.ZERO;
    for (int attempt = 1; ; attempt++) {
      try {
        startOnPort();
        startedOnce = true;
        return;
      } catch (PortInUseException e) {
        if (!portPicked || startedOnce || attempt >= Ports.START_ATTEMPTS) {
          throw e;
        }
        int fresh = Ports.free();
        Ports.announceRetry("PostgreSQL", port, fresh);
        port = fresh;
      }
    }
  }

  private void startOnPort() {
    Ports.requireFree(port, "PostgreSQL");
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      long t0 = System.nanoTime();
      initDataDir();
      lastInit = Duration.ofNanos(System.nanoTime() - t0);
    }
    long launchedAt;
    List<String> command =
        List.of(
            binaries.postgres().toString(),
            "-D",
            dataDir.toString(),
            "-p",
            Integer.toString(port),
            "-k",
            socketDir == null ? "" : socketDir.toString(),
            "-c",
            "listen_addresses=127.0.0.1",
            "-c",
            "max_connections=200",
            "-c",
            "fsync=" + (durable() ? "on" : "off"),
            "-c",
            "full_page_writes=" + (durable() ? "on" : "off"),
            "-c",
            "log_min_messages=warning",
            // log-based capture (the Debezium pipeline) decodes the WAL through a replication slot;
            // the extra WAL detail costs the polling pipeline nothing measurable (README,
            // Performance)
            "-c",
            "wal_level=" + System.getProperty("cdcchaos.walLevel", "logical"),
            "-c",
            "max_replication_slots=64",
            "-c",
            "max_wal_senders=64");
    try {
      Files.writeString(
          logFile,
          START_MARKER + String.join(" ", command) + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      beforeLaunch.accept(port);
      launchedAt = System.nanoTime();
      launcher =
          ChildProcesses.register(
              new ProcessBuilder(asPostgresUser(command))
                  .directory(workDir.toFile())
                  .redirectErrorStream(true)
                  .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                  .start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binaries.postgres(), e);
    }
    paused = false;
    awaitReady();
    lastStart = Duration.ofNanos(System.nanoTime() - launchedAt);
  }

  /**
   * How long the last {@link #start()} spent filling the data directory (initdb or a copy of the
   * template; zero when the data was there) and then starting the server until it accepted
   * connections.
   */
  public StartTimes lastStartTimes() {
    return new StartTimes(lastInit, lastStart);
  }

  /**
   * The phases of a start.
   *
   * @param init initdb or the template copy (zero when the data directory was already there)
   * @param server from launching the postmaster until it accepted a connection
   */
  public record StartTimes(Duration init, Duration server) {}

  private void awaitReady() {
    SQLException[] last = {null};
    boolean ready =
        Wait.upTo(START_TIMEOUT, Duration.ofMillis(20))
            .until(
                () -> {
                  if (!launcher.isAlive()) {
                    String log = LogFiles.tail(logFile, 15);
                    String thisStart = LogFiles.sinceLast(logFile, START_MARKER);
                    if (thisStart.contains("could not bind")
                        || thisStart.contains("Address already in use")) {
                      throw new PortInUseException(
                          port,
                          "PostgreSQL cannot listen on 127.0.0.1:"
                              + port
                              + " (port in use?): "
                              + log);
                    }
                    throw new IllegalStateException(
                        "PostgreSQL exited with code "
                            + launcher.exitValue()
                            + " while starting; log:\n"
                            + log);
                  }
                  try (Connection c = probe()) {
                    if (isOurs(c)) {
                      postmaster = readPostmasterPid();
                      ChildProcesses.register(postmaster);
                      return true;
                    }
                    // another program's server holds the port; ours fails to bind and exits
                    // (checked above)
                  } catch (SQLException e) {
                    last[0] = e;
                  }
                  return false;
                });
    if (ready) {
      return;
    }
    kill();
    throw new IllegalStateException(
        "PostgreSQL did not accept connections within "
            + START_TIMEOUT.toSeconds()
            + " s ("
            + (last[0] == null ? "" : last[0].getMessage())
            + "); log:\n"
            + LogFiles.tail(logFile, 15));
  }

  /**
   * Whether the server behind a connection is this node's (by data directory) and not one of
   * another program (e.g. a second cdc-chaos run) that took the port first.
   */
  private boolean isOurs(Connection c) throws SQLException {
    String dir;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW data_directory")) {
      rs.next();
      dir = rs.getString(1);
    }
    if (Path.of(dir).equals(dataDir)) {
      return true;
    }
    try {
      return Path.of(dir).toRealPath().equals(dataDir.toRealPath());
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  private ProcessHandle readPostmasterPid() {
    OptionalLong pid = postmasterPidFile();
    if (pid.isPresent()) {
      ProcessHandle h = ProcessHandle.of(pid.getAsLong()).orElse(null);
      if (h != null) {
        return h;
      }
    }
    return launcher.toHandle();
  }

  private OptionalLong postmasterPidFile() {
    Path pidFile = dataDir.resolve("postmaster.pid");
    try {
      if (Files.exists(pidFile)) {
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").strip();
        if (first.matches("\\d+")) {
          return OptionalLong.of(Long.parseLong(first));
        }
      }
    } catch (IOException e) {
      // unreadable while being written: treat as absent
    }
    return OptionalLong.empty();
  }

  /**
   * A postmaster left over from a JVM that died without running its shutdown hook still holds the
   * data directory: kill it, since this work directory is ours. A lock file naming a zombie
   * (killed, not yet reaped) is removed, or the new postmaster would think the old one still runs.
   */
  private void killStalePostmaster() {
    OptionalLong pid = postmasterPidFile();
    if (pid.isEmpty()) {
      return;
    }
    ProcessHandle.of(pid.getAsLong())
        .filter(h -> ChildProcesses.commandLine(h).contains(dataDir.toString()))
        .ifPresent(ChildProcesses::killTree);
    if (ProcessHandle.of(pid.getAsLong()).map(ChildProcesses::isGone).orElse(true)) {
      try {
        Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
        if (socketDir != null) {
          Files.deleteIfExists(socketDir.resolve(".s.PGSQL." + port + ".lock"));
          Files.deleteIfExists(socketDir.resolve(".s.PGSQL." + port));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot remove the stale lock files of " + dataDir, e);
      }
    }
  }

  /** Fast shutdown (SIGINT: roll back open transactions, checkpoint, exit). */
  @Override
  public synchronized void stop() {
    if (!isRunning()) {
      return;
    }
    resumeIfPaused();
    ChildProcesses.signal("INT", List.of(postmaster.pid()));
    if (!ChildProcesses.awaitExit(postmaster, STOP_TIMEOUT.toMillis())) {
      kill();
      return;
    }
    if (!ChildProcesses.awaitExit(launcher.toHandle(), 5_000)) {
      ChildProcesses.killTree(launcher.toHandle());
    }
  }

  /** SIGKILL to the postmaster and all its backends at once, like the OOM killer. */
  @Override
  public synchronized void kill() {
    if (launcher != null) {
      ChildProcesses.killTree(launcher.toHandle());
    }
    if (postmaster != null && !ChildProcesses.isGone(postmaster)) {
      ChildProcesses.killTree(postmaster);
    }
    paused = false;
  }

  /** SIGSTOP to the postmaster and every backend, so queries on open connections stall too. */
  @Override
  public synchronized void pause() {
    if (!isRunning() || paused) {
      return;
    }
    ChildProcesses.pauseTree(postmaster);
    paused = true;
  }

  @Override
  public synchronized void resume() {
    resumeIfPaused();
  }

  private void resumeIfPaused() {
    if (paused && isRunning()) {
      ChildProcesses.resumeTree(postmaster);
      // runuser stops itself when its child stops (job control) and must be continued too
      ChildProcesses.signal("CONT", List.of(launcher.pid()));
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
    return postmaster != null && !ChildProcesses.isGone(postmaster);
  }

  @Override
  public synchronized OptionalLong pid() {
    return isRunning() ? OptionalLong.of(postmaster.pid()) : OptionalLong.empty();
  }

  @Override
  public String toString() {
    return "postgres " + version() + " on 127.0.0.1:" + port + (isRunning() ? "" : " (down)");
  }

  /**
   * Fills the empty data directory. initdb is most of a fresh start, so its result is kept once per
   * machine, PostgreSQL version and user as a template under the temp directory, and later nodes
   * get a copy (a fraction of the time). Off with {@code -Dcdcchaos.pg.template=false}.
   */
  private void initDataDir() {
    Path template = templateDir();
    if (template != null && Files.exists(template.resolve("PG_VERSION"))) {
      Commands.Result copy =
          Commands.run(
              asPostgresUser(List.of("cp", "-a", template + "/.", dataDir.toString())),
              Duration.ofMinutes(2));
      if (copy.ok() && Files.exists(dataDir.resolve("PG_VERSION"))) {
        return;
      }
      Commands.run(
          asPostgresUser(List.of("find", dataDir.toString(), "-mindepth", "1", "-delete")),
          Duration.ofMinutes(1));
    }
    initdb(dataDir);
    if (template != null && !Files.exists(template)) {
      saveTemplate(template);
    }
  }

  /** Copies the fresh data directory to a temporary sibling of the template, then renames it. */
  private void saveTemplate(Path template) {
    Path staging =
        template.resolveSibling(template.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    Commands.Result copy =
        Commands.run(
            asPostgresUser(List.of("cp", "-a", dataDir.toString(), staging.toString())),
            Duration.ofMinutes(2));
    try {
      if (copy.ok()) {
        Files.move(staging, template, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException e) {
      // another JVM saved it first, or the temp dir is read-only: the template is only a speed-up
    } finally {
      Commands.run(asPostgresUser(List.of("rm", "-rf", staging.toString())), Duration.ofMinutes(1));
    }
  }

  /** Where the template for these binaries lives, or null when templates are off or impossible. */
  private Path templateDir() {
    if ("false".equals(System.getProperty("cdcchaos.pg.template"))) {
      return null;
    }
    try {
      Path root =
          Path.of(System.getProperty("java.io.tmpdir"))
              .resolve("cdc-chaos-pg-templates-" + System.getProperty("user.name"));
      Files.createDirectories(root);
      if (asRoot) {
        UserPrincipal owner =
            root.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(OS_USER);
        if (!Files.getOwner(root).equals(owner)) {
          Files.setOwner(root, owner);
        }
      }
      String key =
          binaries.version()
              + "-"
              + Integer.toHexString(binaries.binDir().toString().hashCode())
              + "-wal1";
      return root.resolve(key);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private void initdb(Path target) {
    Commands.Result r =
        Commands.run(
            asPostgresUser(
                List.of(
                    binaries.initdb().toString(),
                    "-D",
                    target.toString(),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C",
                    // 1 MB WAL segments instead of 16: a third less to write and copy per node
                    "--wal-segsize=1",
                    "--no-sync")),
            Duration.ofMinutes(2));
    if (!r.ok()) {
      throw new IllegalStateException("initdb failed for " + target + ":\n" + r.output());
    }
  }

  private void prepareDirectories() {
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(dataDir);
      Path sock = socketDir == null ? null : socketDir;
      if (sock != null) {
        Files.createDirectories(sock);
      }
      if (asRoot) {
        requireReachableByPostgresUser(workDir);
        UserPrincipal owner;
        try {
          owner =
              workDir
                  .getFileSystem()
                  .getUserPrincipalLookupService()
                  .lookupPrincipalByName(OS_USER);
        } catch (IOException e) {
          throw new BadInputException(
              "running as root, but there is no '"
                  + OS_USER
                  + "' account to run PostgreSQL as; create it (useradd --system postgres) or run"
                  + " as an ordinary user");
        }
        if (!Files.getOwner(dataDir).equals(owner)) {
          Files.setOwner(dataDir, owner);
        }
        if (sock != null) {
          Files.setOwner(sock, owner);
        }
      }
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + workDir, e);
    }
  }

  /**
   * The postgres account must be able to enter every ancestor of the data directory. Private
   * directories that tests and the harness create (JUnit's {@code @TempDir}, mode 700) under the
   * temp directory or the working directory get the search bit (o+x, not read); anything else is
   * the user's to fix.
   */
  private static void requireReachableByPostgresUser(Path dir) throws IOException {
    Path tmp = Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    Path cwd = Path.of("").toAbsolutePath().normalize();
    for (Path p = dir.normalize(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (perms.contains(PosixFilePermission.OTHERS_EXECUTE)
          || Files.getOwner(p).getName().equals(OS_USER)) {
        continue;
      }
      boolean ours = (p.startsWith(tmp) && !p.equals(tmp)) || (p.startsWith(cwd) && !p.equals(cwd));
      if (!ours) {
        throw new BadInputException(
            "PostgreSQL runs as the '"
                + OS_USER
                + "' account, which cannot enter "
                + p
                + " (mode "
                + PosixFilePermissions.toString(perms)
                + "); use a work directory outside it or chmod o+x "
                + p);
      }
      Set<PosixFilePermission> searchable = new HashSet<>(perms);
      searchable.add(PosixFilePermission.OTHERS_EXECUTE);
      Files.setPosixFilePermissions(p, searchable);
    }
  }

  private List<String> asPostgresUser(List<String> command) {
    if (!asRoot) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", OS_USER, "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  /** Whether servers start with {@code fsync=on} and {@code full_page_writes=on}. */
  static boolean durable() {
    return Boolean.getBoolean("cdcchaos.postgres.durable");
  }
}
