-- The DuckDB warehouse. Applied at every open; every statement is idempotent.
-- Tombstones stay in wh_orders (deleted = true) so that a late, older event cannot resurrect an order.
CREATE TABLE IF NOT EXISTS wh_orders (
  order_id     BIGINT PRIMARY KEY,
  customer_id  BIGINT  NOT NULL,
  status       VARCHAR NOT NULL,
  total_cents  BIGINT  NOT NULL,
  currency     VARCHAR NOT NULL,
  version      BIGINT  NOT NULL,
  deleted      BOOLEAN NOT NULL,
  extras       VARCHAR NOT NULL,   -- unknown payload fields as a JSON object
  updated_at   TIMESTAMP NOT NULL  -- the applied event's occurred_at, so a replay gives the same value
);

-- Idempotency ledger: one row per event id ever applied; later copies only bump duplicates.
-- Unique by construction (the only writer anti-joins against it); no index, see Warehouse.
CREATE TABLE IF NOT EXISTS wh_applied_events (
  event_id        VARCHAR   NOT NULL,
  order_id        BIGINT    NOT NULL,
  version         BIGINT    NOT NULL,
  topic           VARCHAR   NOT NULL,
  kafka_partition INTEGER   NOT NULL,
  kafka_offset    BIGINT    NOT NULL,
  occurred_at     TIMESTAMP NOT NULL,
  duplicates      BIGINT    NOT NULL,
  applied_at      TIMESTAMP NOT NULL
);

-- Live (not deleted) orders and their revenue per customer, moved by old row -> new row deltas.
CREATE TABLE IF NOT EXISTS wh_customer_totals (
  customer_id   BIGINT PRIMARY KEY,
  order_count   BIGINT NOT NULL,
  revenue_cents BIGINT NOT NULL
);

-- Progress: the consumer seeks here on start; Kafka's committed offsets are informational.
CREATE TABLE IF NOT EXISTS wh_checkpoints (
  topic           VARCHAR NOT NULL,
  kafka_partition INTEGER NOT NULL,
  next_offset     BIGINT  NOT NULL,
  PRIMARY KEY (topic, kafka_partition)
);

CREATE TABLE IF NOT EXISTS wh_dead_letters (
  topic           VARCHAR   NOT NULL,
  kafka_partition INTEGER   NOT NULL,
  kafka_offset    BIGINT    NOT NULL,
  event_id        VARCHAR,
  reason          VARCHAR   NOT NULL,
  raw             BLOB,
  dead_at         TIMESTAMP NOT NULL,
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

-- The incarnations of each topic the consumer met. A topic deleted and created again gets a new topic id and
-- its offsets restart at 0, so the first incarnation's records are recorded under the topic's name and each
-- later one's under <topic>~<topic id>: checkpoints, ledger coordinates, dead letters and lake files of two
-- incarnations never collide.
CREATE TABLE IF NOT EXISTS wh_topic_incarnations (
  topic       VARCHAR   NOT NULL,
  topic_id    VARCHAR   NOT NULL,
  recorded_as VARCHAR   NOT NULL,
  first_seen  TIMESTAMP NOT NULL,
  PRIMARY KEY (topic, topic_id)
);
