package dev.cdcchaos.harness.sut;

import java.util.List;
import java.util.Map;

/**
 * How the harness starts one stage: a command line and extra environment. {@code {settings}} in an
 * argument is replaced by the path of the stage's settings file ({@link StageSettings}), {@code
 * {java}} by the harness JVM's {@code java}; the same path is in the environment as {@code
 * CDC_CHAOS_SETTINGS}.
 */
public record StageCommand(List<String> command, Map<String, String> env) {
  public StageCommand {
    command = List.copyOf(command);
    env = Map.copyOf(env);
    if (command.isEmpty()) {
      throw new IllegalArgumentException("a stage command needs at least a program");
    }
  }

  public static StageCommand of(List<String> command) {
    return new StageCommand(command, Map.of());
  }

  /** The command with its placeholders filled in. */
  public List<String> resolve(String settingsFile) {
    String javaBin =
        java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return command.stream()
        .map(a -> a.replace("{settings}", settingsFile).replace("{java}", javaBin))
        .toList();
  }
}
