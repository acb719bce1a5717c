package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.replay.Replay;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rebuilds a fresh warehouse from the lake or from Kafka offset 0 and compares it with the live
 * one.
 */
@Command(
    name = "replay",
    description =
        "Rebuild a new warehouse from the lake or from Kafka and compare it with the live one.")
public final class ReplayCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(names = "--from", required = true, description = "lake or kafka")
  String from;

  @Option(
      names = "--into",
      description =
          "the rebuilt DuckDB file (default: warehouse/replay-from-<from>.duckdb, replaced)")
  Path into;

  @Override
  public Integer call() throws Exception {
    ConnectionSettings settings = connection.settings();
    Path live = Path.of(settings.warehousePath());
    Path target =
        into != null
            ? into
            : live.toAbsolutePath().getParent().resolve("replay-from-" + from + ".duckdb");
    Files.deleteIfExists(target);
    Files.deleteIfExists(target.resolveSibling(target.getFileName() + ".wal"));
    Replay.Result result =
        switch (from) {
          case "lake" -> Replay.fromLake(Path.of(settings.lakePath()), target);
          case "kafka" -> Replay.fromKafka(settings.kafkaBootstrap(), settings.topic(), target);
          default ->
              throw new BadInputException("--from must be lake or kafka, was '" + from + "'");
        };
    System.out.printf(
        "replayed %d records from %s into %s: %d orders%n",
        result.records(), from, target, result.totals().orders());
    if (Files.exists(live)) {
      List<OrderRow> liveRows;
      List<OrderRow> replayed;
      try (WarehouseReader reader = QueryCommand.open(live)) {
        liveRows = reader.orders();
      }
      try (WarehouseReader reader = QueryCommand.open(target)) {
        replayed = reader.orders();
      }
      boolean equal = liveRows.equals(replayed);
      System.out.println(
          equal
              ? "equal to the live warehouse (" + liveRows.size() + " rows)"
              : "DIFFERS from the live warehouse: "
                  + liveRows.size()
                  + " live rows, "
                  + replayed.size()
                  + " replayed");
      return equal ? Main.OK : Main.INVALID;
    }
    return Main.OK;
  }
}
