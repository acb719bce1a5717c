package dev.cdcchaos.pipeline.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;

/**
 * Writes batches of raw records to the Parquet lake, one file per partition and date per batch
 * under {@code <lake>/orders/date=YYYY-MM-DD/}: each event in the partition of its own date (the
 * UTC date of its {@code occurredAt}), whatever the clocks of the publisher and the consumer say
 * and whatever else shares its batch; a poison record, which has no date of its own, under the date
 * of its Kafka timestamp. Each file is written to a hidden temp file and renamed into place, so
 * readers never see half a file; with {@link LakeNaming#OFFSET_RANGE} a replayed batch replaces its
 * own file. Uses parquet's local file API, not Hadoop's file system, so no {@code .crc} files
 * appear.
 */
public final class LakeWriter {
  /** The lake's one table directory under the lake root. */
  public static final String TABLE = "orders";

  private final Path root;
  private final LakeNaming naming;

  public LakeWriter(Path lakeRoot, LakeNaming naming) {
    this.root = lakeRoot;
    this.naming = naming;
  }

  public Path root() {
    return root;
  }

  /** Writes the batch; returns the files written, one per topic-partition. */
  public List<Path> write(List<LakeRecord> batch) {
    Map<String, List<LakeRecord>> byPartition = new TreeMap<>();
    for (LakeRecord r : batch) {
      byPartition
          .computeIfAbsent(
              r.raw().topic() + "\u0000" + r.raw().partition() + "\u0000" + dateOf(r),
              k -> new ArrayList<>())
          .add(r);
    }
    List<Path> written = new ArrayList<>();
    for (List<LakeRecord> records : byPartition.values()) {
      records.sort(Comparator.comparingLong(r -> r.raw().offset()));
      written.add(writeFile(records));
    }
    return written;
  }

  /** The lake partition of a record: its event's UTC date, or its Kafka timestamp's for poison. */
  public static LocalDate dateOf(LakeRecord r) {
    Instant at =
        r.event() != null && r.event().occurredAt() != null
            ? r.event().occurredAt()
            : Instant.ofEpochMilli(r.raw().timestampMs());
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  private Path writeFile(List<LakeRecord> records) {
    RawRecord first = records.get(0).raw();
    RawRecord last = records.get(records.size() - 1).raw();
    LocalDate date = dateOf(records.get(0));
    Path dir = root.resolve(TABLE).resolve("date=" + date);
    Path target =
        dir.resolve(
            naming.fileName(first.topic(), first.partition(), first.offset(), last.offset()));
    Path temp = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      writeParquet(temp, records);
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write lake file " + target, e);
    }
  }

  /**
   * Writes and deletes a one-record file outside the table, so that the first real batch does not
   * pay for loading and initialising the Parquet, Avro and codec classes (about a second). Meant to
   * run while the consumer joins its group; a failure here is left for the first batch to report.
   */
  public void warmUp() {
    Path temp = root.resolve(".warm-up-" + java.util.UUID.randomUUID() + ".tmp");
    RawRecord raw =
        new RawRecord(
            "warm-up", 0, 0, 0, null, "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8), null);
    try {
      Files.createDirectories(root);
      writeParquet(temp, List.of(new LakeRecord(raw, null, "warm-up")));
    } catch (IOException | RuntimeException e) {
      // the same failure will surface, with its context, when the first batch is written
    } finally {
      try {
        Files.deleteIfExists(temp);
      } catch (IOException ignored) {
        // a hidden .tmp file outside the table; the next warm-up uses another name
      }
    }
  }

  /**
   * The configuration of a Parquet reader or writer of a local file. Parquet's Avro support and
   * codec factory turn any other kind into a Hadoop configuration, several times per file, and a
   * Hadoop configuration with its defaults loads and parses Hadoop's XML resources each time: that
   * was most of the time of writing or reading a small lake file (issue 13). A local file needs
   * none of them.
   */
  static org.apache.parquet.conf.ParquetConfiguration localConfiguration() {
    return new org.apache.parquet.conf.HadoopParquetConfiguration(
        new org.apache.hadoop.conf.Configuration(false));
  }

  private static void writeParquet(Path file, List<LakeRecord> records) throws IOException {
    try (ParquetWriter<LakeRecord> writer =
        new Builder(new LocalOutputFile(file))
            .withConf(localConfiguration())
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            // most columns are (nearly) unique per record, where a dictionary only costs hashing
            .withDictionaryEncoding(false)
            .withDictionaryEncoding("topic", true)
            .withDictionaryEncoding("event_type", true)
            .withDictionaryEncoding("headers.key_value.key", true)
            .build()) {
      for (LakeRecord r : records) {
        writer.write(r);
      }
    }
  }

  /** A Parquet writer of lake records through {@link LakeWriteSupport}. */
  private static final class Builder extends ParquetWriter.Builder<LakeRecord, Builder> {
    Builder(org.apache.parquet.io.OutputFile file) {
      super(file);
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected org.apache.parquet.hadoop.api.WriteSupport<LakeRecord> getWriteSupport(
        org.apache.hadoop.conf.Configuration conf) {
      return new LakeWriteSupport();
    }

    @Override
    protected org.apache.parquet.hadoop.api.WriteSupport<LakeRecord> getWriteSupport(
        org.apache.parquet.conf.ParquetConfiguration conf) {
      return new LakeWriteSupport();
    }
  }

  /**
   * Deletes what batches that never reached the warehouse left behind: temp files, and files of
   * {@code topic} whose first offset is at or past where the consumer will resume ({@code
   * resumeAt}: partition to next offset; a partition missing from it resumes at 0). Files whose
   * name carries no offset range are kept. Returns the deleted files.
   */
  public List<Path> discardUncommitted(String topic, Map<Integer, Long> resumeAt) {
    List<Path> deleted = new ArrayList<>();
    Path table = root.resolve(TABLE);
    if (!Files.isDirectory(table)) {
      return deleted;
    }
    try (Stream<Path> files = Files.walk(table)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String name = f.getFileName().toString();
        boolean stale =
            name.startsWith(".") && name.endsWith(".tmp")
                || naming
                    .range(name)
                    .filter(r -> r.topic().equals(topic))
                    .filter(r -> resumeAt.containsKey(r.partition()))
                    .filter(r -> r.first() >= resumeAt.get(r.partition()))
                    .isPresent();
        if (stale) {
          Files.deleteIfExists(f);
          deleted.add(f);
          continue;
        }
        // A file that straddles the resume offset (an operator moved the checkpoint back into the
        // middle of a batch): keep its records below the resume offset in a file of their own, so
        // the records read again are written once, not twice. Rewriting is idempotent, so a crash
        // between the write and the delete is repaired on the next start.
        var straddling =
            naming
                .range(name)
                .filter(r -> r.topic().equals(topic))
                .filter(r -> resumeAt.containsKey(r.partition()))
                .filter(
                    r ->
                        r.first() < resumeAt.get(r.partition())
                            && r.last() >= resumeAt.get(r.partition()));
        if (straddling.isPresent()) {
          long resume = resumeAt.get(straddling.get().partition());
          List<LakeRecord> kept = new ArrayList<>();
          LakeReader.readFile(
              f,
              r -> {
                if (r.raw().offset() < resume) {
                  kept.add(r);
                }
              });
          Path truncated = kept.isEmpty() ? null : writeFile(kept);
          if (!f.equals(truncated)) {
            Files.deleteIfExists(f);
            deleted.add(f);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clean lake " + table, e);
    }
    return deleted;
  }
}
