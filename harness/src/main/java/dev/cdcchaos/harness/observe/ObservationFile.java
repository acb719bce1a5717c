package dev.cdcchaos.harness.observe;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.cdcchaos.harness.check.Observation;
import dev.cdcchaos.harness.history.HistoryJsonl;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A run's observation saved beside its report ({@code observation.json.gz}, the history stays in
 * {@code history.jsonl}), so that {@code cdc-chaos analyze} can check the run again, with today's
 * checkers, without running it again.
 */
public final class ObservationFile {

  public static final String NAME = "observation.json.gz";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .addModule(new Jdk8Module())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private ObservationFile() {}

  /** Writes {@code observation}, less its history, into {@code runDir}. */
  public static Path write(Path runDir, Observation observation) {
    Path file = runDir.resolve(NAME);
    try {
      Files.createDirectories(runDir);
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file), 1 << 16)) {
        JSON.writeValue(out, observation.toBuilder().history(List.of()).build());
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /**
   * Reads the observation saved in {@code runDir}, with the history of its {@code history.jsonl}.
   *
   * @throws NoSuchFileException naming the missing file (a run from before observations were saved,
   *     or not a run folder)
   */
  public static Observation read(Path runDir, Path historyFile) throws IOException {
    Path file = runDir.resolve(NAME);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString());
    }
    Observation o;
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
      o = JSON.readValue(in, Observation.class);
    }
    List<dev.cdcchaos.harness.history.Op> history =
        Files.isRegularFile(historyFile) ? HistoryJsonl.read(historyFile) : List.of();
    return o.toBuilder().history(history).build();
  }
}
