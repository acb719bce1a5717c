package dev.cdcchaos.harness.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.cdcchaos.harness.BadInputException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A history as JSON Lines: one {@link Op} per line, readable with {@code jq} and diffable. Integer
 * values in {@code value} read back as {@code Long} (written as {@code Integer} or {@code Long},
 * they are the same JSON number).
 */
public final class HistoryJsonl {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  private HistoryJsonl() {}

  /** Writes the ops, one JSON object per line, replacing the file. */
  public static void write(Path file, List<Op> ops) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Op op : ops) {
          out.write(JSON.writeValueAsString(op));
          out.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write history " + file, e);
    }
  }

  /**
   * Reads a history written by {@link #write}; blank lines are skipped.
   *
   * @throws BadInputException naming the file and line of the first line that is not an op
   */
  public static List<Op> read(Path file) {
    List<Op> ops = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        try {
          Op op = JSON.readValue(line, Op.class);
          if (op.type() == null || op.process() == null || op.f() == null) {
            throw new BadInputException(file + ":" + number + ": an op needs process, type and f");
          }
          ops.add(op);
        } catch (JsonProcessingException e) {
          throw new BadInputException(
              file
                  + ":"
                  + number
                  + ": not a history op ("
                  + e.getOriginalMessage()
                  + "); expected {\"index\":..,\"timeNanos\":..,\"process\":..,\"type\":"
                  + "\"INVOKE|OK|FAIL|INFO\",\"f\":..,\"value\":{..}}",
              e);
        }
      }
    } catch (NoSuchFileException e) {
      throw new BadInputException("history file " + file + " does not exist", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read history " + file, e);
    }
    return ops;
  }
}
