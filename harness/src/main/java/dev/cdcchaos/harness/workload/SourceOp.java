package dev.cdcchaos.harness.workload;

import dev.cdcchaos.pipeline.event.Extras;
import java.util.Map;

/**
 * One write a workload makes against the source, performed by writer {@link #writer()} as one
 * Postgres transaction (the row change and its outbox event). {@link #extras()} are payload fields
 * the event schema does not know (schema drift), keyed as {@code Change.extras} expects: {@code
 * state.<name>} for fields inside the state object, plain names for top-level ones.
 */
public sealed interface SourceOp
    permits SourceOp.Create, SourceOp.Update, SourceOp.Cancel, SourceOp.Delete {

  int writer();

  long orderId();

  Map<String, Object> extras();

  /** The history name of this operation: create, update, cancel, delete. */
  String f();

  /** Creates order {@code orderId} with status NEW at version 1. */
  record Create(
      int writer,
      long orderId,
      long customerId,
      long totalCents,
      String currency,
      Map<String, Object> extras)
      implements SourceOp {
    public Create {
      extras = Extras.copyOf(extras);
    }

    @Override
    public String f() {
      return "create";
    }
  }

  /** Sets a new status and total. */
  record Update(
      int writer, long orderId, String status, long totalCents, Map<String, Object> extras)
      implements SourceOp {
    public Update {
      extras = Extras.copyOf(extras);
    }

    @Override
    public String f() {
      return "update";
    }
  }

  /** Cancels the order (status CANCELLED: it stops counting towards revenue). */
  record Cancel(int writer, long orderId, Map<String, Object> extras) implements SourceOp {
    public Cancel {
      extras = Extras.copyOf(extras);
    }

    @Override
    public String f() {
      return "cancel";
    }
  }

  /** Deletes the order: the source row goes, a tombstone event remains. Always its last op. */
  record Delete(int writer, long orderId, Map<String, Object> extras) implements SourceOp {
    public Delete {
      extras = Extras.copyOf(extras);
    }

    @Override
    public String f() {
      return "delete";
    }
  }
}
