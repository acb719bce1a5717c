-- Source schema of the operational database. Applied idempotently at start; jOOQ classes are generated from it.
CREATE TABLE IF NOT EXISTS orders (
  order_id     BIGINT       NOT NULL PRIMARY KEY,
  customer_id  BIGINT       NOT NULL,
  status       VARCHAR(32)  NOT NULL,
  total_cents  BIGINT       NOT NULL,
  currency     VARCHAR(3)   NOT NULL,
  version      BIGINT       NOT NULL,
  updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE IF NOT EXISTS outbox_events (
  id               BIGSERIAL    NOT NULL PRIMARY KEY,
  event_id         UUID         NOT NULL, -- random v4, unique by construction; an index on it would cost every insert and mark a random page
  idempotency_key  VARCHAR(128) NOT NULL UNIQUE,
  aggregate_id     BIGINT       NOT NULL,
  event_type       VARCHAR(32)  NOT NULL,
  aggregate_version BIGINT      NOT NULL,
  schema_version   INT          NOT NULL,
  occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
  payload          TEXT         NOT NULL,
  published_at     TIMESTAMP WITH TIME ZONE
);

-- No index may cover published_at, not even in a partial index's predicate: then marking a row
-- published is a HOT update (a new tuple version on the same page, no index entries), about a
-- third of the cost of a non-HOT one. Half of each page is left free so that a whole page of rows
-- marked in one batch fits beside the old versions. The publisher finds unpublished rows by
-- scanning the primary key from a floor below which every row is published (ClaimFloor).
-- [jooq ignore start]
ALTER TABLE IF EXISTS outbox_events SET (fillfactor = 50);
-- [jooq ignore stop]

-- An outbox id is only taken by a transaction that already has a transaction id, so that a
-- snapshot taken after reading the sequence shows every transaction that may still commit a lower
-- id (ClaimFloor). A writer whose first write is the outbox insert would otherwise take its id in
-- the same statement just before it gets its transaction id.
-- [jooq ignore start]
CREATE OR REPLACE FUNCTION outbox_next_id() RETURNS BIGINT LANGUAGE sql VOLATILE
  AS 'SELECT CASE WHEN pg_current_xact_id() IS NOT NULL THEN nextval(''outbox_events_id_seq'') END';
ALTER TABLE IF EXISTS outbox_events ALTER COLUMN id SET DEFAULT outbox_next_id();
-- [jooq ignore stop]


-- a re-created order continues the version line of its earlier life (tombstone versions stay ordered)
CREATE INDEX IF NOT EXISTS outbox_aggregate ON outbox_events (aggregate_id, aggregate_version);
