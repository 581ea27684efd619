-- The change feed of the documents table, for engines that keep a copy of the index (see LuceneSearchEngine): every
-- transaction that changes documents writes the content ids it re-derived under the generation it took. Generations
-- commit in order (each transaction increments index_state.generation as its last statement and holds that row's
-- lock until it commits), so a reader that sees generation G has every change up to G, and re-reads the documents of
-- the ids logged after the generation it last applied (a program's id stands for its episodes too).
CREATE TABLE document_changes (
  generation BIGINT      NOT NULL,
  id         UUID        NOT NULL,
  changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (generation, id)
);

-- Changes are kept for a while, then pruned; every generation from changes_from on still has all its changes, and a
-- copy further behind than that reloads in full.
ALTER TABLE index_state ADD COLUMN changes_from BIGINT NOT NULL DEFAULT 0;
UPDATE index_state SET changes_from = generation + 1;
