package dev.cdcchaos.harness.cli;

import dev.cdcchaos.harness.BadInputException;
import dev.cdcchaos.pipeline.event.OrderEvent;
import dev.cdcchaos.pipeline.source.OrderWriter;
import dev.cdcchaos.pipeline.source.SourceDatabase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Changes one order's status (and optionally its total) through the writer API. */
@Command(name = "update", description = "Update an order's status (writes an outbox event).")
public final class UpdateCommand implements Callable<Integer> {

  @Mixin ConnectionOption connection;

  @Option(names = "--order-id", required = true)
  long orderId;

  @Option(names = "--status", required = true, description = "e.g. PAID, SHIPPED, CANCELLED")
  String status;

  @Option(names = "--total-cents", description = "new total (default: unchanged)")
  Long totalCents;

  @Override
  public Integer call() {
    try (OrderWriter writer =
        new OrderWriter(SourceDatabase.dataSource(connection.settings().jdbcUrl()))) {
      OrderEvent event;
      if (OrderWriter.CANCELLED.equals(status) && totalCents == null) {
        event = writer.cancel(orderId);
      } else {
        long total = totalCents != null ? totalCents : currentTotal(writer);
        event = writer.update(orderId, status, total);
      }
      System.out.printf(
          "order %d is now %s at version %d (event %s)%n",
          orderId, event.state().status(), event.version(), event.eventId());
      return Main.OK;
    } catch (IllegalStateException e) {
      throw new BadInputException(e.getMessage() + " (seed orders first with `./cdc-chaos seed`)");
    }
  }

  private long currentTotal(OrderWriter writer) {
    return writer
        .current(orderId)
        .orElseThrow(() -> new IllegalStateException("order " + orderId + " does not exist"))
        .totalCents();
  }
}
