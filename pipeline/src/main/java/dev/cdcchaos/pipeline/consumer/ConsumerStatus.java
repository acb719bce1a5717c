package dev.cdcchaos.pipeline.consumer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Map;

/**
 * The consumer's status file, rewritten atomically after every batch so the harness and {@code
 * status} can read it at any time. Counts come from the warehouse and survive restarts; {@code
 * batches} counts this process's batches. {@code reads} is the base URL of the warehouse's {@link
 * dev.cdcchaos.pipeline.warehouse.ReadEndpoint} while this process serves it.
 *
 * <p>The notices say what the consumer decided about something it met that it did not do itself, in
 * words for people (absent when there was nothing): {@code offsetReset} what it made of a consumer
 * group position someone else wrote (honoured, refused and why); {@code topic} which incarnation of
 * the topic it reads and what it did when the topic was recreated; {@code stalled} why it cannot
 * make progress right now (a full disk, a warehouse held by another process, a log truncated below
 * its checkpoint), {@code lastStall} the last such reason since it started. {@code incarnation} is
 * the name the checkpoints of the topic incarnation it reads are recorded under (the topic's name,
 * or {@code <topic>~<topic id>} for a topic created again after the warehouse met it).
 */
public record ConsumerStatus(
    String role,
    String state,
    String variant,
    long applied,
    long duplicates,
    long deadLettered,
    long lakeRecords,
    long batches,
    Map<String, Long> checkpoints,
    String reads,
    Instant updatedAt,
    @JsonInclude(JsonInclude.Include.NON_NULL) String offsetReset,
    @JsonInclude(JsonInclude.Include.NON_NULL) String topic,
    @JsonInclude(JsonInclude.Include.NON_NULL) String stalled,
    @JsonInclude(JsonInclude.Include.NON_NULL) String lastStall,
    @JsonInclude(JsonInclude.Include.NON_NULL) String incarnation) {

  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  /** Writes {@code this} to {@code file} via a temp file and an atomic rename. */
  public void writeTo(Path file) {
    Path temp = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      JSON.writeValue(temp.toFile(), this);
      try {
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write status file " + file, e);
    }
  }

  public static ConsumerStatus read(Path file) {
    try {
      return JSON.readValue(file.toFile(), ConsumerStatus.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read status file " + file, e);
    }
  }
}
