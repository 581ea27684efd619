-- The search index: one document per visible program or episode (see rm_visible in db/readmodel), rebuilt from the
-- content projection whenever an event touches it.

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- Folds text for matching, identically for documents and queries: Arabic diacritics (harakat, superscript alef)
-- and tatweel removed, alef forms (hamza above/below, madda, wasla) to bare alef, alef maqsura to yaa, taa
-- marbuta to haa; then Latin accents folded and everything lower-cased.
CREATE FUNCTION mm_fold(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary,
    translate(regexp_replace(coalesce(t, ''), '[\u064B-\u065F\u0670\u0640]', '', 'g'), 'أإآٱىة', 'اااايه')))
$$;

-- The stemming configuration of a document's language (BCP 47): Arabic or English (the default).
CREATE FUNCTION mm_config(language TEXT) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN lower(coalesce(language, '')) LIKE 'ar%' THEN 'arabic'::regconfig ELSE 'english'::regconfig END
$$;

-- The words of a folded text, split on white space and punctuation (Latin and Arabic), in order.
CREATE FUNCTION mm_words(t TEXT) RETURNS TABLE (word TEXT, pos BIGINT) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT w, n FROM regexp_split_to_table(mm_fold(t), '[\s[:punct:]،؛؟«»]+') WITH ORDINALITY AS s(w, n) WHERE w <> ''
$$;

-- As-you-type query: every word must match, the last one as a prefix.
CREATE FUNCTION mm_prefix_query(q TEXT) RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT to_tsquery('simple', coalesce(string_agg(quote_literal(word) || CASE WHEN pos = last THEN ':*' ELSE '' END,
                                                  ' & ' ORDER BY pos), ''))
    FROM (SELECT word, pos, max(pos) OVER () AS last FROM mm_words(q)) w
$$;

CREATE TABLE documents (
  id            UUID PRIMARY KEY,
  type          TEXT        NOT NULL,
  program_id    UUID,
  title         TEXT        NOT NULL,
  description   TEXT,
  tags          TEXT[]      NOT NULL DEFAULT '{}',
  category      TEXT,
  language      TEXT,
  thumbnail_key TEXT,
  published_at  TIMESTAMPTZ,
  search        tsvector    NOT NULL,
  suggest       tsvector    NOT NULL,
  indexed_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE INDEX documents_search ON documents USING gin (search);
CREATE INDEX documents_suggest ON documents USING gin (suggest);
CREATE INDEX documents_program ON documents (program_id) WHERE program_id IS NOT NULL;

-- Every word of every indexed title and tag, for typo correction (trigram and edit-distance candidates).
CREATE TABLE lexicon (
  word TEXT PRIMARY KEY
);

CREATE INDEX lexicon_trgm ON lexicon USING gin (word gin_trgm_ops);
CREATE INDEX lexicon_shape ON lexicon (left(word, 1), length(word));

-- One row: when the newest applied event happened, and the last reindex.
CREATE TABLE index_state (
  singleton         BOOLEAN PRIMARY KEY DEFAULT true CHECK (singleton),
  last_event_at     TIMESTAMPTZ,
  reindex_state     TEXT,
  reindex_started   TIMESTAMPTZ,
  reindex_finished  TIMESTAMPTZ,
  reindex_documents BIGINT,
  reindex_error     TEXT
);

INSERT INTO index_state DEFAULT VALUES;

-- Text made safe to embed in HTML before ts_headline wraps matches in <em>.
CREATE FUNCTION mm_escape(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT replace(replace(replace(replace(coalesce(t, ''), '&', '&amp;'), '<', '&lt;'), '>', '&gt;'), '"', '&quot;')
$$;
