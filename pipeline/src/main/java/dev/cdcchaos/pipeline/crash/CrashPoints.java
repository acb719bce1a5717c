package dev.cdcchaos.pipeline.crash;

/**
 * Named points in the publisher, the consumer and the application's writers where the harness can
 * make the process die, exactly as a {@code kill -9} would at that step. Production code calls
 * {@link #reach(String)} at each point; the default implementation does nothing.
 *
 * <p>Contract: an implementation either returns normally or halts the JVM ({@code Runtime.halt});
 * it must never throw, because a thrown exception would run finally blocks and shutdown hooks that
 * a real crash would not.
 */
@FunctionalInterface
public interface CrashPoints {

  /** Does nothing: the production default. */
  CrashPoints NONE = point -> {};

  String CONSUMER_AFTER_LAKE = "consumer.after-lake";
  String CONSUMER_MID_BATCH = "consumer.mid-batch";
  String CONSUMER_AFTER_WAREHOUSE = "consumer.after-warehouse";
  String CONSUMER_BEFORE_OFFSET_COMMIT = "consumer.before-offset-commit";
  String PUBLISHER_AFTER_SEND = "publisher.after-send";
  String PUBLISHER_BEFORE_MARK = "publisher.before-mark";

  /** A writer changed {@code orders}; its outbox event is not inserted yet. */
  String WRITER_AFTER_ORDERS = "writer.after-orders";

  /** A writer inserted the outbox event; its own work before the commit has not run yet. */
  String WRITER_AFTER_OUTBOX = "writer.after-outbox";

  /** A writer is about to commit: everything of the write is done but nothing is committed. */
  String WRITER_BEFORE_COMMIT = "writer.before-commit";

  /** Every crash point the pipeline defines, for validating scenario files. */
  java.util.List<String> ALL =
      java.util.List.of(
          CONSUMER_AFTER_LAKE,
          CONSUMER_MID_BATCH,
          CONSUMER_AFTER_WAREHOUSE,
          CONSUMER_BEFORE_OFFSET_COMMIT,
          PUBLISHER_AFTER_SEND,
          PUBLISHER_BEFORE_MARK,
          WRITER_AFTER_ORDERS,
          WRITER_AFTER_OUTBOX,
          WRITER_BEFORE_COMMIT);

  /** Called by the pipeline when it reaches {@code point}. */
  void reach(String point);
}
