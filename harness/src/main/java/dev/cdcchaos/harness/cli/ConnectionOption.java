package dev.cdcchaos.harness.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --connection FILE} option shared by the quickstart commands. */
public final class ConnectionOption {

  @Option(
      names = "--connection",
      paramLabel = "FILE",
      description = "connection settings written by `up` (default: ${DEFAULT-VALUE})",
      defaultValue = ConnectionSettings.DEFAULT_FILE)
  Path file;

  /** The settings in the file. */
  public ConnectionSettings settings() {
    return ConnectionSettings.load(file);
  }
}
