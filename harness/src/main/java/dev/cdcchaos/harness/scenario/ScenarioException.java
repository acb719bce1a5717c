package dev.cdcchaos.harness.scenario;

import dev.cdcchaos.harness.BadInputException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One or more scenario files are invalid. The message has one line per problem, {@code
 * file:line:column: field: what was found, what was expected}, so editors can jump to it.
 */
public class ScenarioException extends BadInputException {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public ScenarioException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ScenarioException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }

  /**
   * One thing wrong in a scenario file.
   *
   * @param file the file as given to the loader
   * @param line 1-based, 0 when the problem is about the file as a whole
   * @param column 1-based, 0 when unknown
   * @param field path of the field, e.g. {@code faults[1].partition}; empty for the whole file
   * @param message what was found and what was expected
   */
  public record Problem(String file, int line, int column, String field, String message) {
    @Override
    public String toString() {
      StringBuilder s = new StringBuilder(file);
      if (line > 0) {
        s.append(':').append(line);
        if (column > 0) {
          s.append(':').append(column);
        }
      }
      s.append(": ");
      if (!field.isEmpty()) {
        s.append(field).append(": ");
      }
      return s.append(message).toString();
    }
  }
}
