package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.scenario.Scenario;
import dev.cdcchaos.harness.scenario.ScenarioException;
import dev.cdcchaos.harness.scenario.ScenarioLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code cdc-chaos validate FILE...}: checks scenario files without starting anything. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks scenario files without running them.",
      "Prints 'ok' per scenario, or every problem as file:line:column: field: what is wrong"
          + " (exit 2). A directory stands for all its *.yaml files."
    })
public final class ValidateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files or directories")
  List<Path> files;

  @Override
  public Integer call() {
    List<Path> all = new ArrayList<>();
    try {
      for (Path f : files) {
        all.addAll(Files.isDirectory(f) ? ScenarioLoader.files(f) : List.of(f));
      }
      if (all.isEmpty()) {
        spec.commandLine().getErr().println("cdc-chaos: no scenario files (*.yaml) in " + files);
        spec.commandLine().getErr().flush();
        return Main.BAD_INPUT;
      }
      List<Scenario> scenarios = ScenarioLoader.loadFiles(all);
      for (Scenario s : scenarios) {
        spec.commandLine()
            .getOut()
            .printf(
                "ok  %s (%d faults, %d orders)%n",
                s.name(), s.faults().size(), s.workload().orders());
      }
      spec.commandLine().getOut().flush();
      return Main.OK;
    } catch (ScenarioException e) {
      spec.commandLine().getErr().println(e.getMessage());
      spec.commandLine()
          .getErr()
          .printf(
              "%d problem%s; the format is described in scenarios/README.md%n",
              e.problems().size(), e.problems().size() == 1 ? "" : "s");
      spec.commandLine().getErr().flush();
      return Main.BAD_INPUT;
    }
  }
}
