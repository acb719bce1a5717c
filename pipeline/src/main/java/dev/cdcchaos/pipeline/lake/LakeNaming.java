package dev.cdcchaos.pipeline.lake;

import dev.cdcchaos.pipeline.variant.Variant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How lake files are named. The correct naming carries the offset range, so a replayed batch
 * rewrites its file and the consumer can tell files of uncommitted batches apart; {@link
 * #random(long)} is the known-bad variant {@code lake-append-random-name}.
 */
public interface LakeNaming {

  /** {@code <topic>-<partition>-<firstOffset>-<lastOffset>.parquet}. */
  LakeNaming OFFSET_RANGE =
      new LakeNaming() {
        private static final Pattern NAME = Pattern.compile("(.+)-(\\d+)-(\\d+)-(\\d+)\\.parquet");

        @Override
        public String fileName(String topic, int partition, long first, long last) {
          return topic + "-" + partition + "-" + first + "-" + last + ".parquet";
        }

        @Override
        public Optional<OffsetRange> range(String fileName) {
          Matcher m = NAME.matcher(fileName);
          if (!m.matches()) {
            return Optional.empty();
          }
          return Optional.of(
              new OffsetRange(
                  m.group(1),
                  Integer.parseInt(m.group(2)),
                  Long.parseLong(m.group(3)),
                  Long.parseLong(m.group(4))));
        }
      };

  /** File name for one partition's records of a batch. */
  String fileName(String topic, int partition, long first, long last);

  /** The offsets a file holds, when its name says so. */
  Optional<OffsetRange> range(String fileName);

  /** {@code <topic>-<partition>-<random>.parquet}: every write adds a file. */
  static LakeNaming random(long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    return new LakeNaming() {
      @Override
      public synchronized String fileName(String topic, int partition, long first, long last) {
        return topic + "-" + partition + "-" + Long.toHexString(rnd.nextLong()) + ".parquet";
      }

      @Override
      public Optional<OffsetRange> range(String fileName) {
        return Optional.empty();
      }
    };
  }

  static LakeNaming forVariant(Variant variant, long seed) {
    return variant == Variant.LAKE_APPEND_RANDOM_NAME ? random(seed) : OFFSET_RANGE;
  }
}
