-- Kernel tables present in every service database (own Flyway history table: kernel_schema_history).

-- Transactional outbox: a service inserts its event here in the transaction of the change; the relay publishes
-- unpublished rows to Kafka in seq order and marks them.
CREATE TABLE outbox (
  seq           BIGSERIAL PRIMARY KEY,
  event_id      UUID        NOT NULL UNIQUE,
  topic         TEXT        NOT NULL,
  event_key     TEXT        NOT NULL,
  event_type    TEXT        NOT NULL,
  payload       TEXT        NOT NULL,
  traceparent   TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  published_at  TIMESTAMPTZ
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published_at ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes relays (in any instance) as soon as a transaction with events commits; NOTIFY is delivered on commit only.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('mediamesh_outbox', '');
  RETURN NULL;
END;
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent consumers: one row per (consumer, event id) written in the transaction that applies the event.
CREATE TABLE processed_events (
  consumer      TEXT        NOT NULL,
  event_id      UUID        NOT NULL,
  processed_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);
