package dev.cdcchaos.pipeline.lake;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

/**
 * Reads the lake back: for replay, and for the harness's lake-complete checker. Every file is read,
 * so a record written twice (two files holding it) is returned twice; hidden temp files are not
 * part of the lake.
 */
public final class LakeReader {
  private LakeReader() {}

  /** The lake's parquet files in name order. */
  public static List<Path> files(Path lakeRoot) {
    Path table = lakeRoot.resolve(LakeWriter.TABLE);
    if (!Files.isDirectory(table)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(table)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".parquet"))
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .sorted(Comparator.comparing(Path::toString))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list lake " + table, e);
    }
  }

  /** Every record of the lake, decoded again, sorted by topic, partition and offset. */
  public static List<LakeRecord> readAll(Path lakeRoot) {
    List<LakeRecord> out = new ArrayList<>();
    forEach(lakeRoot, out::add);
    out.sort(
        Comparator.comparing((LakeRecord r) -> r.raw().topic())
            .thenComparingInt(r -> r.raw().partition())
            .thenComparingLong(r -> r.raw().offset()));
    return out;
  }

  /** Streams every record of the lake, file by file, without holding the lake in memory. */
  public static void forEach(Path lakeRoot, Consumer<LakeRecord> sink) {
    for (Path f : files(lakeRoot)) {
      readFile(f, sink);
    }
  }

  /** The records of one lake file, in file order. */
  public static void readFile(Path file, Consumer<LakeRecord> sink) {
    try (ParquetReader<GenericRecord> reader =
        AvroParquetReader.<GenericRecord>builder(
                new LocalInputFile(file), LakeWriter.localConfiguration())
            .build()) {
      for (GenericRecord g = reader.read(); g != null; g = reader.read()) {
        sink.accept(LakeRecord.decode(LakeSchema.fromAvro(g)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read lake file " + file, e);
    }
  }

  /** Number of records in the lake, from the file footers only. */
  public static long count(Path lakeRoot) {
    long n = 0;
    for (Path f : files(lakeRoot)) {
      try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
        n += r.getRecordCount();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read footer of lake file " + f, e);
      }
    }
    return n;
  }
}
