package dev.cdcchaos.harness.cli;

import dev.cdcchaos.pipeline.source.OrderWriter;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import dev.cdcchaos.pipeline.source.SourceSchema;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Creates orders through the writer API, each with its outbox event, after the existing ones. */
@Command(
    name = "seed",
    description = "Create N orders in the source database (with outbox events).")
public final class SeedCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(
      names = "--count",
      defaultValue = "100",
      description = "orders to create (default: ${DEFAULT-VALUE})")
  int count;

  @Option(names = "--customers", defaultValue = "20", description = "customers to spread them over")
  int customers;

  @Option(
      names = "--seed",
      defaultValue = "1",
      description = "random seed for totals and customers")
  long seed;

  @Override
  public Integer call() throws Exception {
    if (count < 1 || customers < 1) {
      throw new dev.cdcchaos.harness.BadInputException("--count and --customers must be >= 1");
    }
    DataSource ds = SourceDatabase.dataSource(connection.settings().jdbcUrl());
    SourceSchema.apply(ds);
    long first = nextOrderId(ds);
    SplittableRandom random = new SplittableRandom(seed);
    try (OrderWriter writer = new OrderWriter(ds)) {
      for (long id = first; id < first + count; id++) {
        writer.create(id, 1 + random.nextInt(customers), 100 + random.nextInt(100_000), "EUR");
      }
    }
    System.out.printf("created orders %d..%d%n", first, first + count - 1);
    return Main.OK;
  }

  private static long nextOrderId(DataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        ResultSet rs =
            c.createStatement()
                .executeQuery(
                    "SELECT greatest((SELECT max(order_id) FROM orders),"
                        + " (SELECT max(aggregate_id) FROM outbox_events))")) {
      rs.next();
      return rs.getLong(1) + 1;
    }
  }
}
