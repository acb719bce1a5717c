package dev.cdcchaos.harness.infra;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.OptionalLong;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

/**
 * A server in a container of {@link ContainersInfrastructure}, with the process faults done to the
 * container: {@link #kill()} is {@code docker kill --signal KILL} (the server is PID 1, so that is
 * a SIGKILL of it), {@link #pause()} is {@code docker pause} (the cgroup freezer), {@link #stop()}
 * is {@code docker stop} (the image's stop signal, then SIGKILL after 20 s) and {@link #start()}
 * after either starts the same container again, so its data is kept. Testcontainers only creates
 * and removes the container; between the two the node drives the engine itself.
 */
final class ContainerNode implements Node {
  private static final int STOP_SECONDS = 20;

  private final String name;
  private final GenericContainer<?> container;
  private final Runnable awaitReady;

  /** {@code awaitReady} returns once the restarted server serves requests, or throws. */
  ContainerNode(String name, GenericContainer<?> container, Runnable awaitReady) {
    this.name = name;
    this.container = container;
    this.awaitReady = awaitReady;
  }

  GenericContainer<?> container() {
    return container;
  }

  private DockerClient docker() {
    return DockerClientFactory.instance().client();
  }

  private String id() {
    String id = container.getContainerId();
    if (id == null) {
      throw new IllegalStateException(name + ": its container was never created");
    }
    return id;
  }

  private InspectContainerResponse.ContainerState state() {
    return docker().inspectContainerCmd(id()).exec().getState();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public synchronized void start() {
    if (container.getContainerId() == null) {
      container.start();
      return;
    }
    if (Boolean.TRUE.equals(state().getRunning())) {
      resume();
      return;
    }
    docker().startContainerCmd(id()).exec();
    awaitReady.run();
  }

  @Override
  public synchronized void stop() {
    if (container.getContainerId() == null || !Boolean.TRUE.equals(state().getRunning())) {
      return;
    }
    resume(); // a frozen process cannot handle its stop signal
    docker().stopContainerCmd(id()).withTimeout(STOP_SECONDS).exec();
    awaitExited();
  }

  @Override
  public synchronized void kill() {
    if (container.getContainerId() == null || !Boolean.TRUE.equals(state().getRunning())) {
      return;
    }
    try {
      docker().killContainerCmd(id()).withSignal("KILL").exec();
    } catch (ConflictException e) {
      // an engine that refuses to kill a paused container: thaw it, then kill at once
      resume();
      docker().killContainerCmd(id()).withSignal("KILL").exec();
    }
    awaitExited();
  }

  private void awaitExited() {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (!Boolean.TRUE.equals(state().getRunning())) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted waiting for " + name + " to exit", e);
      }
    }
    throw new IllegalStateException(name + ": its container did not exit within 30 s");
  }

  @Override
  public synchronized void pause() {
    var s = state();
    if (Boolean.TRUE.equals(s.getRunning()) && !Boolean.TRUE.equals(s.getPaused())) {
      docker().pauseContainerCmd(id()).exec();
    }
  }

  @Override
  public synchronized void resume() {
    if (container.getContainerId() == null) {
      return;
    }
    if (Boolean.TRUE.equals(state().getPaused())) {
      docker().unpauseContainerCmd(id()).exec();
    }
  }

  @Override
  public synchronized void restart() {
    stop();
    start();
  }

  @Override
  public boolean isRunning() {
    try {
      return container.getContainerId() != null && Boolean.TRUE.equals(state().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** The engine's word: {@code docker pause} returns once the container's cgroup is frozen. */
  @Override
  public java.util.Optional<Boolean> seenPaused() {
    return java.util.Optional.of(isPaused());
  }

  /** Whether the container is paused ({@code docker pause}). */
  boolean isPaused() {
    try {
      return container.getContainerId() != null && Boolean.TRUE.equals(state().getPaused());
    } catch (NotFoundException e) {
      return false;
    }
  }

  @Override
  public OptionalLong pid() {
    if (!isRunning()) {
      return OptionalLong.empty();
    }
    Long pid = state().getPidLong();
    return pid == null || pid == 0 ? OptionalLong.empty() : OptionalLong.of(pid);
  }

  /**
   * Throws, with the exit code and the end of the container's output, when the container is not
   * running (its server exited on its own).
   */
  void requireRunning() {
    var s = state();
    if (Boolean.TRUE.equals(s.getRunning())) {
      return;
    }
    String out = logs();
    throw new IllegalStateException(
        "--infra containers: "
            + name
            + " exited with code "
            + s.getExitCodeLong()
            + " right after it started; its last output:\n"
            + out.substring(Math.max(0, out.length() - 3000)));
  }

  /** The container's output (stdout and stderr), also after it stopped. */
  String logs() {
    return container.getContainerId() == null ? "" : container.getLogs();
  }
}
