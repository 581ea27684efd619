-- Rows Kafka can never take as they are (too large for the broker, an invalid topic) are set aside instead of being
-- retried forever: kept, with the error, for an operator to fix and release (UPDATE outbox SET dead_at = NULL).
ALTER TABLE outbox ADD COLUMN dead_at TIMESTAMPTZ, ADD COLUMN last_error TEXT;

DROP INDEX outbox_unpublished;
CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL AND dead_at IS NULL;
