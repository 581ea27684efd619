-- A counter every transaction that changes documents increments: search answers cached by the service are valid
-- only for the generation they were computed at (see ResultCache).
ALTER TABLE index_state ADD COLUMN generation BIGINT NOT NULL DEFAULT 0;
