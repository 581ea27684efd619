-- Typo candidates by index (the deletion neighbourhoods of SymSpell): every lexicon word with one letter deleted.
-- A word one edit away from a misspelling is the misspelling with a letter deleted (an extra letter was typed), has
-- the misspelling as one of its deletes (a letter was left out), or shares a delete with it (a letter was
-- replaced), so candidates are found by equality, not by scanning the lexicon.
CREATE FUNCTION mm_deletes(w TEXT) RETURNS SETOF TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT DISTINCT left(w, i - 1) || substr(w, i + 1) FROM generate_series(1, length(w)) AS i
$$;

CREATE TABLE lexicon_deletes (
  variant TEXT NOT NULL,
  word    TEXT NOT NULL,
  PRIMARY KEY (variant, word)
);

INSERT INTO lexicon_deletes (variant, word)
SELECT d, l.word FROM lexicon l, mm_deletes(l.word) AS d ORDER BY 1, 2 ON CONFLICT DO NOTHING;
