package dev.cdcchaos.pipeline.control;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * The harness's control file, re-read whenever its modification time or size changes. A missing
 * file means {@link ControlSettings#NONE}. A file that cannot be parsed keeps the previous settings
 * and reports the problem once on stderr: a half-written file must not crash the pipeline.
 */
public final class ControlFile {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private final Path path;
  private ControlSettings current = ControlSettings.NONE;
  private Object seenStamp;

  /** Watches {@code path}; null means no control file, always {@link ControlSettings#NONE}. */
  public ControlFile(Path path) {
    this.path = path;
  }

  /** Parses control settings, naming the field that is wrong. */
  public static ControlSettings parse(byte[] json, String source) {
    try {
      if (new String(json, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
        return ControlSettings.NONE;
      }
      ControlSettings settings = JSON.readValue(json, ControlSettings.class);
      return settings == null ? ControlSettings.NONE : settings;
    } catch (ValueInstantiationException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalArgumentException(source + ": " + cause.getMessage(), e);
    } catch (IOException e) {
      throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
    }
  }

  /** The settings as of now: re-reads the file if it changed since the last call. */
  public synchronized ControlSettings refresh() {
    if (path == null) {
      return current;
    }
    Object stamp;
    try {
      BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class);
      stamp = attrs.lastModifiedTime().toString() + "/" + attrs.size();
    } catch (NoSuchFileException e) {
      stamp = "absent";
    } catch (IOException e) {
      return current;
    }
    if (Objects.equals(stamp, seenStamp)) {
      return current;
    }
    seenStamp = stamp;
    if ("absent".equals(stamp)) {
      current = ControlSettings.NONE;
      return current;
    }
    try {
      current = parse(Files.readAllBytes(path), path.toString());
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("control file ignored, keeping previous settings: " + e.getMessage());
    }
    return current;
  }

  /** The settings last read, without touching the file. */
  public synchronized ControlSettings current() {
    return current;
  }
}
