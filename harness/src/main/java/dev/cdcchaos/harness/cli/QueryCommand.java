package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.pipeline.event.OrderRow;
import dev.cdcchaos.pipeline.warehouse.WarehouseReader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Prints rows of {@code wh_orders}. */
@Command(name = "query", description = "Print rows of the warehouse's wh_orders table.")
public final class QueryCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(
      names = "--limit",
      defaultValue = "20",
      description = "rows to print (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1) {
      throw new BadInputException("--limit must be >= 1");
    }
    Path file = Path.of(connection.settings().warehousePath());
    try (WarehouseReader warehouse = open(file)) {
      List<OrderRow> rows = warehouse.orders();
      System.out.printf(
          "%10s %10s %-10s %12s %-8s %8s %-7s%n",
          "order_id", "customer", "status", "total_cents", "currency", "version", "deleted");
      for (OrderRow r : rows.subList(0, Math.min(limit, rows.size()))) {
        System.out.printf(
            "%10d %10d %-10s %12d %-8s %8d %-7s%n",
            r.orderId(),
            r.customerId(),
            r.status(),
            r.totalCents(),
            r.currency(),
            r.version(),
            r.deleted());
      }
      System.out.printf("(%d of %d rows)%n", Math.min(limit, rows.size()), rows.size());
    }
    return Main.OK;
  }

  static WarehouseReader open(Path file) {
    try {
      return WarehouseReader.open(file);
    } catch (IllegalArgumentException e) {
      throw new BadInputException(e.getMessage() + " (run `./cdc-chaos consume` first)");
    } catch (RuntimeException e) {
      throw new BadInputException(e.getMessage(), e);
    }
  }
}
