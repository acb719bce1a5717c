package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code ./cdc-chaos}. Exit codes: 0 ok / verdict valid, 1 verdict invalid, 2 bad
 * input or an environment problem (with a message saying what to do).
 */
@Command(
    name = "cdc-chaos",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Chaos-verification harness for a Postgres outbox -> Kafka -> DuckDB + Parquet pipeline.",
    subcommands = {
      CommandLine.HelpCommand.class,
      DoctorCommand.class,
      ValidateCommand.class,
      UpCommand.class,
      SeedCommand.class,
      UpdateCommand.class,
      PublishCommand.class,
      ConsumeCommand.class,
      QueryCommand.class,
      StatusCommand.class,
      ReplayCommand.class,
      BenchCommand.class,
      RunCommand.class,
      DemoCommand.class,
      ReportCommand.class,
      MatrixCommand.class,
      SearchCommand.class,
      AnalyzeCommand.class
    })
public final class Main {

  /** Verdict valid, or the command did what it was asked. */
  public static final int OK = 0;

  /** A verdict was invalid. */
  public static final int INVALID = 1;

  /** Bad input or an environment problem. */
  public static final int BAD_INPUT = 2;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI without exiting, for tests. */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          if (ex instanceof BadInputException) {
            cmd.getErr().println("cdc-chaos: " + ex.getMessage());
            return BAD_INPUT;
          }
          throw ex;
        });
    CommandLine.IParameterExceptionHandler usage = cli.getParameterExceptionHandler();
    cli.setParameterExceptionHandler(
        (ex, args) -> {
          usage.handleParseException(ex, args);
          return BAD_INPUT;
        });
    return cli;
  }

  /** Prints the harness version and the versions of the parts it starts. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"cdc-chaos " + (v == null ? "dev" : v)};
    }
  }
}
