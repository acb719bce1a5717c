package dev.cdcchaos.harness.run;

import dev.cdcchaos.harness.fault.Fault;
import dev.cdcchaos.harness.fault.Observed;
import dev.cdcchaos.harness.fault.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * The faults of issue 11 that act on the system as an operator, an application upgrade or the
 * infrastructure would rather than through a proxy or a signal: offset resets, topic recreation, a
 * zombie consumer, schema changes, clock jumps, full disks and unclean leader elections. Each
 * starts its fault, hands the injector a probe of its evidence and returns how to heal it.
 */
final class Operations {
  private Operations() {}

  /**
   * As an operator runs {@code kafka-consumer-groups --reset-offsets --execute}: the consumer is
   * stopped (a group must be inactive to be reset), the group's committed offsets are set with no
   * metadata, as the tool sets them, and the consumer is started again. Each partition's move is a
   * history note with the consumer's checkpoint beside it.
   */
  static FaultInjector.Heal resetOffsets(
      RunContext ctx, Fault.ResetOffsets fault, Consumer<FaultInjector.Probe> probe) {
    PipelineProcess consumer = ctx.process(Target.Service.CONSUMER);
    consumer.stop();
    try {
      Admin admin = ctx.infra().admin();
      String group = ctx.consumerGroup();
      Map<Integer, Long> committed = new TreeMap<>();
      get(
              admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata(),
              "read group " + group)
          .forEach(
              (tp, o) -> {
                if (o != null && tp.topic().equals(ctx.topic())) {
                  committed.put(tp.partition(), o.offset());
                }
              });
      Map<Integer, Long> checkpoints = FaultInjector.checkpoints(ctx.warehouseFile());
      Map<TopicPartition, OffsetSpec> ask = new LinkedHashMap<>();
      long now = System.currentTimeMillis();
      for (int p = 0; p < ctx.partitions(); p++) {
        Fault.OffsetReset to = fault.to();
        OffsetSpec spec =
            to instanceof Fault.OffsetReset.Ago ago
                ? OffsetSpec.forTimestamp(now - ago.ago().toMillis())
                : to instanceof Fault.OffsetReset.Latest
                    ? OffsetSpec.latest()
                    : OffsetSpec.earliest();
        ask.put(new TopicPartition(ctx.topic(), p), spec);
      }
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> found =
          get(admin.listOffsets(ask).all(), "list offsets of " + ctx.topic());
      Map<TopicPartition, OffsetAndMetadata> set = new LinkedHashMap<>();
      Map<Integer, Long> resetTo = new TreeMap<>();
      for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e :
          found.entrySet()) {
        long offset = e.getValue().offset();
        if (offset < 0) {
          // no record at or after the timestamp: --by-duration then goes to the end
          offset =
              get(admin.listOffsets(Map.of(e.getKey(), OffsetSpec.latest())).all(), "end")
                  .get(e.getKey())
                  .offset();
        }
        set.put(e.getKey(), new OffsetAndMetadata(offset));
        resetTo.put(e.getKey().partition(), offset);
      }
      get(admin.alterConsumerGroupOffsets(group, set).all(), "reset group " + group);
      for (Map.Entry<Integer, Long> e : resetTo.entrySet()) {
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("topic", ctx.topic());
        note.put("partition", e.getKey());
        note.put("offset", e.getValue());
        note.put("committed", committed.getOrDefault(e.getKey(), -1L));
        note.put("checkpoint", checkpoints.getOrDefault(e.getKey(), 0L));
        ctx.history().note("nemesis", "reset-offsets", note);
      }
      boolean moved =
          resetTo.entrySet().stream()
              .anyMatch(e -> !e.getValue().equals(checkpoints.getOrDefault(e.getKey(), 0L)));
      consumer.start();
      // the answer of this life of the consumer, not one a former life left in the status file
      Optional<String> answer =
          moved ? awaitNotice(consumer, "offsetReset", ANSWER_WITHIN) : Optional.empty();
      probe.accept(() -> new Observed.OffsetsReset(committed, resetTo, checkpoints, answer));
    } finally {
      if (!consumer.wantedUp()) {
        consumer.start();
      }
    }
    return FaultInjector.Heal.NOTHING;
  }

  /** How long the consumer has to say what it made of something it met after its start. */
  static final java.time.Duration ANSWER_WITHIN = java.time.Duration.ofSeconds(30);

  /**
   * The notice {@code field} of the consumer's status once this life of it wrote one, or empty when
   * it wrote none within {@code within}.
   */
  static Optional<String> awaitNotice(
      PipelineProcess consumer, String field, java.time.Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      if (consumer.reportedSinceStart()) {
        Optional<String> n = notice(consumer, field);
        if (n.isPresent()) {
          return n;
        }
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
    }
    return Optional.empty();
  }

  /**
   * The notice {@code field} of the consumer's status once it holds {@code word}, or empty when it
   * did not within {@code within}.
   */
  static Optional<String> awaitNotice(
      PipelineProcess consumer, String field, String word, java.time.Duration within) {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<String> n = notice(consumer, field);
      if (n.isPresent() && n.get().contains(word)) {
        return n;
      }
      sleep(java.time.Duration.ofMillis(100));
    }
    return Optional.empty();
  }

  /** A notice of the consumer's status, when it wrote one. */
  private static Optional<String> notice(PipelineProcess consumer, String field) {
    String text = consumer.status().path(field).asText("");
    return text.isEmpty() ? Optional.empty() : Optional.of(text);
  }

  private static <T> T get(KafkaFuture<T> future, String what) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + what, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
    }
  }

  /** How long the consumer has to read the whole topic before it is deleted. */
  static final java.time.Duration DRAIN_WITHIN = java.time.Duration.ofSeconds(30);

  /**
   * As an operator deletes a topic and creates it again with the same partitions, replication and
   * settings: its offsets restart at 0 and it gets a new topic id. The publishers are paused
   * (SIGSTOP) throughout, so that the consumer can read the whole topic first and so that no
   * producer's metadata request creates the topic with the broker's defaults while it is absent;
   * once they are resumed their producers meet the new topic id and send there. Before the deletion
   * the harness reads every record of the old incarnation and its ends for the oracle, named as
   * {@link dev.cdcchaos.harness.check.Incarnations} says. The fault is instant; a watcher beside
   * the nemesis waits up to {@link #ANSWER_WITHIN} for the consumer to say it met the new topic.
   */
  static FaultInjector.Heal recreateTopic(RunContext ctx, Consumer<FaultInjector.Probe> probe) {
    Admin admin = ctx.infra().admin();
    String topic = ctx.topic();
    PipelineProcess consumer = ctx.process(Target.Service.CONSUMER);
    java.util.List<PipelineProcess> paused = new java.util.ArrayList<>();
    Optional<String> oldId = Optional.empty();
    Optional<String> newId = Optional.empty();
    Map<Integer, Long> oldEnds = new TreeMap<>();
    boolean caughtUp = false;
    Map<String, Object> note = new LinkedHashMap<>();
    try {
      for (PipelineProcess pub : ctx.publishers()) {
        pub.pause();
        paused.add(pub);
      }
      org.apache.kafka.clients.admin.TopicDescription before = describeTopic(admin, topic);
      oldId = Optional.of(before.topicId().toString());
      int partitions = before.partitions().size();
      int replication = before.partitions().get(0).replicas().size();
      Map<String, String> configs = topicConfigs(admin, topic);
      Map<Integer, Long> ends = settledEnds(admin, topic, partitions);
      caughtUp = awaitCheckpoints(consumer, ends, DRAIN_WITHIN);
      note.put("old topic id", oldId.get());
      note.put("ends", ends);
      note.put("consumer caught up", caughtUp);
      if (!caughtUp) {
        note.put("note", "the consumer did not read the whole topic in time: it was left alone");
        return FaultInjector.Heal.NOTHING;
      }
      java.util.List<dev.cdcchaos.harness.check.Observation.KafkaRecord> poison =
          ctx.poison() == null ? java.util.List.of() : ctx.poison().injected();
      dev.cdcchaos.harness.observe.TopicLog.Topic old =
          dev.cdcchaos.harness.observe.TopicLog.read(
              ctx.infra().directBootstrap(), topic, poison, ctx.recordedAs());
      old.ends().forEach(e -> oldEnds.put(e.partition(), e.nextOffset()));
      get(admin.deleteTopics(java.util.List.of(topic)).all(), "delete topic " + topic);
      boolean gone =
          dev.cdcchaos.harness.infra.Wait.upTo(
                  java.time.Duration.ofSeconds(30), java.time.Duration.ofMillis(100))
              .until(() -> describeOrNull(admin, topic) == null);
      if (!gone) {
        throw new IllegalStateException("topic " + topic + " was still there 30 s after deletion");
      }
      createAgain(ctx, topic, partitions, replication, configs);
      newId = Optional.of(describeTopic(admin, topic).topicId().toString());
      ctx.retire(old.records(), old.ends(), newId.get());
      note.put("records read from the old topic", old.records().size());
      note.put("new topic id", newId.get());
      note.put("recorded as", ctx.recordedAs());
    } finally {
      paused.forEach(PipelineProcess::resume);
      ctx.history().note("nemesis", "recreate-topic", note);
    }
    // the answer is awaited beside the nemesis, not by it: a consumer that says nothing must not
    // hold the next fault back (the scenario may kill it while it reads the new topic)
    java.util.concurrent.atomic.AtomicReference<String> answer =
        new java.util.concurrent.atomic.AtomicReference<>();
    if (newId.isPresent()) {
      Thread watch =
          new Thread(
              () ->
                  awaitNotice(consumer, "topic", "recreated", ANSWER_WITHIN).ifPresent(answer::set),
              "recreate-topic-answer");
      watch.setDaemon(true);
      watch.start();
    }
    Optional<String> oldIdSeen = oldId;
    Optional<String> newIdSeen = newId;
    boolean caught = caughtUp;
    probe.accept(
        () ->
            new Observed.TopicRecreated(
                oldIdSeen,
                newIdSeen,
                oldEnds,
                caught,
                Optional.ofNullable(answer.get()),
                newIdSeen.isPresent() ? endsOrEmpty(admin, topic) : Map.of()));
    return FaultInjector.Heal.NOTHING;
  }

  /** The topic's settings that were set on it (not the broker's defaults), to create it again. */
  private static Map<String, String> topicConfigs(Admin admin, String topic) {
    org.apache.kafka.common.config.ConfigResource res =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    Map<String, String> out = new TreeMap<>();
    get(admin.describeConfigs(java.util.List.of(res)).all(), "read the settings of " + topic)
        .get(res)
        .entries()
        .forEach(
            e -> {
              if (e.source()
                  == org.apache.kafka.clients.admin.ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                out.put(e.name(), e.value());
              }
            });
    return out;
  }

  /**
   * Each partition's end offset once two reads 300 ms apart agree: what the paused publishers had
   * on the wire has landed.
   */
  private static Map<Integer, Long> settledEnds(Admin admin, String topic, int partitions) {
    Map<Integer, Long> last = ends(admin, topic, partitions);
    for (int i = 0; i < 20; i++) {
      sleep(java.time.Duration.ofMillis(300));
      Map<Integer, Long> now = ends(admin, topic, partitions);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last;
  }

  private static Map<Integer, Long> ends(Admin admin, String topic, int partitions) {
    Map<TopicPartition, OffsetSpec> ask = new LinkedHashMap<>();
    for (int p = 0; p < partitions; p++) {
      ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
    }
    Map<Integer, Long> out = new TreeMap<>();
    get(admin.listOffsets(ask).all(), "list the ends of " + topic)
        .forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    return out;
  }

  /** The topic's ends now, or empty when Kafka does not answer (evidence, never a failure). */
  private static Map<Integer, Long> endsOrEmpty(Admin admin, String topic) {
    try {
      org.apache.kafka.clients.admin.TopicDescription d = describeOrNull(admin, topic);
      return d == null ? Map.of() : ends(admin, topic, d.partitions().size());
    } catch (RuntimeException e) {
      return Map.of();
    }
  }

  /**
   * Whether the consumer's reported checkpoints reached {@code ends} within {@code within} (a
   * partition without records needs none).
   */
  private static boolean awaitCheckpoints(
      PipelineProcess consumer, Map<Integer, Long> ends, java.time.Duration within) {
    return dev.cdcchaos.harness.infra.Wait.upTo(within, java.time.Duration.ofMillis(100))
        .until(
            () -> {
              com.fasterxml.jackson.databind.JsonNode cps = consumer.status().path("checkpoints");
              return ends.entrySet().stream()
                  .allMatch(
                      e ->
                          e.getValue() == 0
                              || cps.path(String.valueOf(e.getKey())).asLong(-1) >= e.getValue());
            });
  }

  /**
   * Creates the topic again; the broker may still be finishing the deletion (the name is then
   * taken), so it is asked again for up to 30 s.
   */
  private static void createAgain(
      RunContext ctx, String topic, int partitions, int replication, Map<String, String> configs) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        ctx.infra().createTopic(topic, partitions, replication, configs);
        return;
      } catch (IllegalStateException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        sleep(java.time.Duration.ofMillis(300));
      }
    }
  }

  private static org.apache.kafka.clients.admin.TopicDescription describeTopic(
      Admin admin, String topic) {
    org.apache.kafka.clients.admin.TopicDescription d = describeOrNull(admin, topic);
    if (d == null) {
      throw new IllegalStateException("no topic " + topic + " to recreate");
    }
    return d;
  }

  private static org.apache.kafka.clients.admin.TopicDescription describeOrNull(
      Admin admin, String topic) {
    try {
      return admin
          .describeTopics(java.util.List.of(topic))
          .allTopicNames()
          .get(30, TimeUnit.SECONDS)
          .get(topic);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        return null;
      }
      throw new IllegalStateException("cannot describe " + topic + ": " + e.getMessage(), e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("describing " + topic + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted describing " + topic, e);
    }
  }

  /** How long both consumers run side by side after the first one resumes. */
  static final java.time.Duration ZOMBIE_OVERLAP = java.time.Duration.ofSeconds(2);

  /**
   * The consumer is paused (SIGSTOP) and a second consumer process of the same stage and settings
   * ({@code consumer-2}: same warehouse, lake, topic and group) is started meanwhile. At the heal
   * the harness notes whether the second one reported while the first was frozen, resumes the
   * first, lets both run for {@link #ZOMBIE_OVERLAP}, reads what the second says and stops it.
   */
  static FaultInjector.Heal zombieConsumer(RunContext ctx, Consumer<FaultInjector.Probe> probe) {
    PipelineProcess first = ctx.process(Target.Service.CONSUMER);
    PipelineProcess zombie = ctx.newSecondConsumer();
    FaultInjector.Probe[] pause = new FaultInjector.Probe[1];
    FaultInjector.Heal[] resume = {FaultInjector.pause(first, p -> pause[0] = p)};
    // A zombie is a consumer frozen between its uses of the warehouse. A consumer that opens the
    // warehouse only for a batch or a read (unfenced-stale-checkpoint) and is frozen inside one
    // would hold the file for the whole freeze, and the second would only ever stand by: the run
    // would prove nothing (MatrixIT missed the variant that way, 1 run in about 12). So it is
    // thawed and frozen again, a few milliseconds later, while it holds the file; a consumer that
    // holds it for life (the fence) holds it at every try and is frozen holding it.
    java.nio.file.Path warehouse = ctx.warehouseFile();
    int tries = 1;
    boolean holding = lockedByAnother(warehouse);
    while (holding && tries < ZOMBIE_TRIES) {
      resume[0].heal();
      sleep(ZOMBIE_RETRY);
      resume[0] = FaultInjector.pause(first, p -> pause[0] = p);
      tries++;
      holding = lockedByAnother(warehouse);
    }
    String frozen =
        holding
            ? "the first was frozen holding the warehouse (it held it at each of "
                + tries
                + " freezes)"
            : "the first was frozen between its uses of the warehouse"
                + (tries == 1 ? "" : " (at freeze " + tries + ")");
    zombie.start();
    java.util.OptionalLong pid = zombie.pid();
    Map<String, Object> started = new LinkedHashMap<>();
    started.put("process", zombie.name());
    started.put("pid", pid.isPresent() ? pid.getAsLong() : -1L);
    started.put("first", frozen);
    ctx.history().note("nemesis", "zombie-started", started);
    boolean[] reported = new boolean[1];
    String[] state = {"it never reported"};
    long[] applied = new long[1];
    probe.accept(
        () ->
            new Observed.Zombie(
                (Observed.Paused) pause[0].observed(), pid, reported[0], state[0], applied[0]));
    return () -> {
      try {
        // what the second consumer did while the first was frozen, before the first wakes up
        reported[0] = zombie.reportedSinceStart();
        String whileFrozen = zombieState(zombie);
        resume[0].heal();
        sleep(ZOMBIE_OVERLAP);
        String after = zombieState(zombie);
        applied[0] = zombie.statusLong("applied");
        state[0] =
            (whileFrozen.equals(after)
                    ? whileFrozen
                    : whileFrozen + "; after the first resumed: " + after)
                + "; "
                + frozen;
        Map<String, Object> note = new LinkedHashMap<>();
        note.put("process", zombie.name());
        note.put("reported while the first was paused", reported[0]);
        note.put("state", state[0]);
        note.put("applied", applied[0]);
        ctx.history().note("nemesis", "zombie-stopped", note);
      } finally {
        zombie.stop();
      }
    };
  }

  /** How many times a zombie's first consumer is frozen, at most, to catch it between uses. */
  private static final int ZOMBIE_TRIES = 12;

  private static final java.time.Duration ZOMBIE_RETRY = java.time.Duration.ofMillis(25);

  /**
   * Whether another process holds a lock on {@code file} (DuckDB locks its database file with
   * {@code fcntl} while it has it open for writing, and so does {@link
   * java.nio.channels.FileChannel#tryLock}); a lock taken here is let go at once.
   */
  static boolean lockedByAnother(java.nio.file.Path file) {
    if (!java.nio.file.Files.isRegularFile(file)) {
      return false;
    }
    try (java.nio.channels.FileChannel ch =
        java.nio.channels.FileChannel.open(
            file, java.nio.file.StandardOpenOption.READ, java.nio.file.StandardOpenOption.WRITE)) {
      java.nio.channels.FileLock lock = ch.tryLock();
      if (lock == null) {
        return true;
      }
      lock.release();
      return false;
    } catch (java.nio.channels.OverlappingFileLockException e) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  /** The second consumer's state and reason as its status gives them. */
  private static String zombieState(PipelineProcess zombie) {
    if (!zombie.reportedSinceStart()) {
      return zombie.isRunning() ? "it never reported" : "it exited without reporting";
    }
    String state = zombie.status().path("state").asText("?");
    String why = zombie.status().path("stalled").asText("");
    return why.isEmpty()
        ? state + " (" + zombie.statusLong("applied") + " events applied in the warehouse)"
        : state + ": " + why;
  }

  private static void sleep(java.time.Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Runs the schema change on the running source database, as a migration of a live application
   * would (it waits for the writers' open transactions, up to 30 s), reads the catalog to see that
   * it holds, and only then upgrades the writers to the new shape.
   */
  static FaultInjector.Heal ddl(
      RunContext ctx, Fault.Ddl fault, Consumer<FaultInjector.Probe> probe) {
    String statement =
        switch (fault.change()) {
          case ADD_COLUMN -> "ALTER TABLE orders ADD COLUMN note text";
          case WIDEN_TYPE -> "ALTER TABLE orders ALTER COLUMN currency TYPE varchar(16)";
        };
    String check =
        switch (fault.change()) {
          case ADD_COLUMN ->
              "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                  + " AND table_name = 'orders' AND column_name = 'note'";
          case WIDEN_TYPE ->
              "SELECT count(*) FROM information_schema.columns WHERE table_schema = current_schema()"
                  + " AND table_name = 'orders' AND column_name = 'currency'"
                  + " AND character_maximum_length = 16";
        };
    boolean applied;
    try (java.sql.Connection c =
            dev.cdcchaos.pipeline.source.SourceDatabase.dataSource(
                    ctx.infra().directJdbcUrl(ctx.database()))
                .getConnection();
        java.sql.Statement st = c.createStatement()) {
      st.execute("SET lock_timeout = '30s'");
      st.execute(statement);
      try (java.sql.ResultSet rs = st.executeQuery(check)) {
        applied = rs.next() && rs.getLong(1) == 1;
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException("cannot run " + statement + ": " + e.getMessage(), e);
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("statement", statement);
    note.put("applied", applied);
    ctx.history().note("nemesis", "ddl", note);
    long before = ctx.workload().inNewShape(fault.change());
    if (applied) {
      ctx.workload().upgradedFor(fault.change());
    }
    probe.accept(
        () ->
            new Observed.SchemaChanged(
                statement, applied, ctx.workload().inNewShape(fault.change()) - before));
    return FaultInjector.Heal.NOTHING;
  }

  /**
   * Moves one writer's clock across a UTC date boundary until the heal: {@code forward} to an hour
   * past the next midnight, {@code backward} to an hour before the last one. Its events carry that
   * time as {@code occurredAt}; the other writers and every pipeline process keep the wall clock.
   */
  static FaultInjector.Heal clockSkew(
      RunContext ctx, Fault.ClockSkew fault, Consumer<FaultInjector.Probe> probe) {
    WorkloadDriver w = ctx.workload();
    int writer = fault.writer();
    if (writer >= w.writers()) {
      throw new dev.cdcchaos.harness.BadInputException(
          "clock-skew: writer "
              + writer
              + " does not exist: the workload has "
              + w.writers()
              + " writer(s), numbered from 0");
    }
    java.time.Instant now = java.time.Instant.now();
    java.time.Instant midnight =
        now.atZone(java.time.ZoneOffset.UTC)
            .toLocalDate()
            .atStartOfDay(java.time.ZoneOffset.UTC)
            .toInstant();
    java.time.Instant to =
        switch (fault.direction()) {
          case FORWARD -> midnight.plus(java.time.Duration.ofHours(25));
          case BACKWARD -> midnight.minus(java.time.Duration.ofHours(1));
        };
    long skewMs = to.toEpochMilli() - now.toEpochMilli();
    long events = w.skewedEvents(writer);
    long otherDate = w.skewedOnAnotherDate(writer);
    w.skew(writer, skewMs);
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("writer", "writer-" + writer);
    note.put("skew ms", skewMs);
    note.put("clock now", to.toString());
    ctx.history().note("nemesis", "clock-skew", note);
    long[] during = {-1, -1};
    probe.accept(
        new FaultInjector.Probe() {
          @Override
          public void healed() {
            during[0] = w.skewedEvents(writer) - events;
            during[1] = w.skewedOnAnotherDate(writer) - otherDate;
          }

          @Override
          public Observed observed() {
            long e = during[0] >= 0 ? during[0] : w.skewedEvents(writer) - events;
            long d = during[1] >= 0 ? during[1] : w.skewedOnAnotherDate(writer) - otherDate;
            return new Observed.ClockJumped("writer-" + writer, skewMs, e, d);
          }
        });
    return () -> w.skew(writer, 0);
  }

  /**
   * Fills the file system of the lake or the warehouse (the tmpfs the run mounted over it) until
   * the heal, then frees it. What the consumer said meanwhile is read from its status ({@code
   * lastStall}) at the heal, before the space returns.
   */
  static FaultInjector.Heal diskFull(
      RunContext ctx, Fault.DiskFull fault, Consumer<FaultInjector.Probe> probe) {
    StoreMount mount =
        ctx.mount(fault.store())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "disk-full: no tmpfs mounted on the " + fault.store().cliName()));
    PipelineProcess consumer = ctx.process(Target.Service.CONSUMER);
    long freeBefore = mount.usable();
    java.nio.file.Path fill = mount.fill();
    long freeWhileFull = mount.usable();
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("dir", mount.dir().toString());
    note.put("free before", freeBefore);
    note.put("free while full", freeWhileFull);
    ctx.history().note("nemesis", "disk-full", note);
    Optional<String>[] saw = new Optional[] {Optional.empty()};
    probe.accept(
        () -> new Observed.Filled(mount.dir().toString(), freeBefore, freeWhileFull, saw[0]));
    return () -> {
      saw[0] = notice(consumer, "lastStall");
      try {
        java.nio.file.Files.deleteIfExists(fill);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot free " + mount.dir(), e);
      }
    };
  }

  /**
   * An unclean leader election of one partition, the way it happens when it is allowed: the topic
   * allows unclean elections and one in-sync replica; the partition's followers are paused
   * (SIGSTOP) until the leader is alone in the ISR, so that what the publishers send until the heal
   * is acknowledged by the leader alone. At the heal the leader is killed, a follower resumed and
   * elected uncleanly ({@code electLeaders(UNCLEAN)}) although its log lacks those records, the
   * other followers resumed, and the old leader started again (it truncates its log to the new
   * leader's). The publishers are paused from just before the kill until the new leader's end is
   * read, so that end is the log it was elected with.
   */
  static FaultInjector.Heal uncleanElection(
      RunContext ctx, Fault.UncleanLeaderElection fault, Consumer<FaultInjector.Probe> probe) {
    Admin admin = ctx.infra().admin();
    String topic = ctx.topic();
    TopicPartition tp = new TopicPartition(topic, fault.partition());
    org.apache.kafka.common.config.ConfigResource res =
        new org.apache.kafka.common.config.ConfigResource(
            org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
    get(
        admin
            .incrementalAlterConfigs(
                Map.of(
                    res,
                    java.util.List.of(
                        new org.apache.kafka.clients.admin.AlterConfigOp(
                            new org.apache.kafka.clients.admin.ConfigEntry(
                                "unclean.leader.election.enable", "true"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET),
                        new org.apache.kafka.clients.admin.AlterConfigOp(
                            new org.apache.kafka.clients.admin.ConfigEntry(
                                "min.insync.replicas", "1"),
                            org.apache.kafka.clients.admin.AlterConfigOp.OpType.SET))))
            .all(),
        "allow unclean elections on " + topic);
    org.apache.kafka.common.TopicPartitionInfo info = partitionInfo(admin, tp);
    if (info.leader() == null || info.leader().isEmpty()) {
      throw new IllegalStateException(tp + " has no leader to start from");
    }
    int leader = info.leader().id();
    java.util.List<Integer> followers =
        info.replicas().stream()
            .map(org.apache.kafka.common.Node::id)
            .filter(id -> id != leader)
            .toList();
    if (followers.isEmpty()) {
      throw new dev.cdcchaos.harness.BadInputException(
          "unclean-leader-election: " + tp + " has no follower (replication factor 1)");
    }
    for (int f : followers) {
      ctx.serverNode("kafka-" + f).pause();
    }
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
    boolean alone = false;
    while (!alone && System.nanoTime() < deadline) {
      try {
        org.apache.kafka.common.TopicPartitionInfo now = partitionInfo(admin, tp);
        alone = now.isr().size() == 1 && now.isr().get(0).id() == leader;
      } catch (RuntimeException e) {
        // a request that went to a paused broker: ask again
      }
      if (!alone) {
        sleep(java.time.Duration.ofMillis(200));
      }
    }
    Map<String, Object> note = new LinkedHashMap<>();
    note.put("partition", tp.toString());
    note.put("leader", "kafka-" + leader);
    note.put("followers paused", followers.stream().map(f -> "kafka-" + f).toList());
    note.put("leader alone in the ISR", alone);
    ctx.history().note("nemesis", "unclean-election-armed", note);
    boolean leaderAlone = alone;
    Observed[] seen = {
      new Observed.Truncated(
          fault.partition(),
          "kafka-" + leader,
          Optional.empty(),
          0,
          0,
          Optional.of("the heal never came"))
    };
    probe.accept(() -> seen[0]);
    return () -> {
      int chosen = followers.get(0);
      java.util.List<PipelineProcess> pausedPublishers = new java.util.ArrayList<>();
      long endBefore = -1;
      long endAfter = -1;
      Optional<String> elected = Optional.empty();
      Optional<String> why = Optional.empty();
      try {
        if (!leaderAlone) {
          why = Optional.of("the leader never was alone in the ISR: its followers kept up");
          return;
        }
        // the publishers wait out the election, so that the new leader's end is read before they
        // append to it (SIGSTOP: their producers retry, or expire and send again, when resumed)
        for (PipelineProcess pub : ctx.publishers()) {
          pub.pause();
          pausedPublishers.add(pub);
        }
        endBefore = endOffset(admin, tp);
        ctx.serverNode("kafka-" + leader).kill();
        ctx.serverNode("kafka-" + chosen).resume();
        long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (elected.isEmpty() && System.nanoTime() < until) {
          try {
            admin
                .electLeaders(org.apache.kafka.common.ElectionType.UNCLEAN, java.util.Set.of(tp))
                .partitions()
                .get(10, TimeUnit.SECONDS);
          } catch (ExecutionException | TimeoutException e) {
            // not yet: the follower is still rejoining, or the quorum is re-forming
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why = Optional.of("interrupted while electing");
            break;
          }
          try {
            org.apache.kafka.common.TopicPartitionInfo now = partitionInfo(admin, tp);
            if (now.leader() != null && !now.leader().isEmpty() && now.leader().id() == chosen) {
              elected = Optional.of("kafka-" + chosen);
              break;
            }
          } catch (RuntimeException e) {
            // the metadata is not answering yet
          }
          sleep(java.time.Duration.ofMillis(500));
        }
        if (elected.isEmpty()) {
          why = Optional.of("kafka-" + chosen + " was not elected within 60 s");
        } else {
          long ask = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
          while (endAfter < 0 && System.nanoTime() < ask) {
            try {
              endAfter = endOffset(admin, tp);
            } catch (RuntimeException e) {
              sleep(java.time.Duration.ofMillis(300));
            }
          }
          if (endAfter < 0) {
            why = Optional.of("the new leader's end offset could not be read");
          }
        }
      } finally {
        pausedPublishers.forEach(PipelineProcess::resume);
        for (int f : followers) {
          ctx.serverNode("kafka-" + f).resume();
        }
        ctx.serverNode("kafka-" + leader).start();
        Map<String, Object> done = new LinkedHashMap<>();
        done.put("partition", tp.toString());
        done.put("end before", endBefore);
        done.put("end after", endAfter);
        done.put("new leader", elected.orElse("none"));
        why.ifPresent(w -> done.put("note", w));
        ctx.history().note("nemesis", "unclean-election", done);
        seen[0] =
            new Observed.Truncated(
                fault.partition(),
                "kafka-" + leader,
                elected,
                Math.max(endBefore, 0),
                Math.max(endAfter, 0),
                why);
      }
    };
  }

  private static org.apache.kafka.common.TopicPartitionInfo partitionInfo(
      Admin admin, TopicPartition tp) {
    return get(
            admin.describeTopics(java.util.List.of(tp.topic())).allTopicNames(),
            "describe " + tp.topic())
        .get(tp.topic())
        .partitions()
        .get(tp.partition());
  }

  private static long endOffset(Admin admin, TopicPartition tp) {
    return get(admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all(), "end of " + tp)
        .get(tp)
        .offset();
  }
}
