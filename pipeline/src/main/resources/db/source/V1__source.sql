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

-- the publisher claims through this small index only: unpublished rows, in id order
CREATE INDEX IF NOT EXISTS outbox_unpublished ON outbox_events (id) WHERE published_at IS NULL;

-- a re-created order continues the version line of its earlier life (tombstone versions stay ordered)
CREATE INDEX IF NOT EXISTS outbox_aggregate ON outbox_events (aggregate_id, aggregate_version);
