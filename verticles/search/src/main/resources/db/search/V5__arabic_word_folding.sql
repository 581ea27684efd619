-- Arabic searches found a word only in some of its forms: taa marbuta was folded to haa before Snowball's Arabic
-- stemmer, which removes a final taa marbuta and the article but not a final haa after the article (الجامعه stayed
-- جامعه while جامعه became جامع), and it never removes و before the article. Now a word's final haa is written as taa
-- marbuta and و + ال (with at least four letters after, so والدين stays apart from الدين) loses the و, before stemming, in documents and queries alike
-- (TextAnalysis.foldWord does the same for the in-memory copy). Documents and the typo lexicon are re-derived.
CREATE OR REPLACE FUNCTION mm_fold(t TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(public.unaccent('public.unaccent'::regdictionary,
    regexp_replace(
      regexp_replace(
        translate(regexp_replace(coalesce(t, ''), '[\u064B-\u065F\u0670\u0640]', '', 'g'), 'أإآٱى', 'ااااي'),
        '([\u0621-\u064A])ه(?![\u0621-\u064A])', '\1ة', 'g'),
      '(^|[^\u0621-\u064A])وال(?=[\u0621-\u064A]{4})', '\1ال', 'g')))
$$;

UPDATE documents d
   SET search = setweight(to_tsvector(mm_config(d.language), mm_fold(d.title)), 'A')
                || setweight(to_tsvector(mm_config(d.language), mm_fold(d.description)), 'B')
                || setweight(to_tsvector('simple', mm_fold(array_to_string(d.tags, ' '))), 'C'),
       suggest = to_tsvector('simple', mm_fold(d.title));

TRUNCATE lexicon_deletes, lexicon;

INSERT INTO lexicon (word)
SELECT DISTINCT w.word FROM documents d, mm_words(d.title || ' ' || array_to_string(d.tags, ' ')) w
 WHERE length(w.word) BETWEEN 3 AND 40
 ORDER BY w.word
ON CONFLICT DO NOTHING;

INSERT INTO lexicon_deletes (variant, word)
SELECT v, l.word FROM lexicon l, mm_deletes(l.word) AS v ORDER BY 1, 2 ON CONFLICT DO NOTHING;

-- Every document changed its terms: one new generation, so cached answers and the copies of running instances
-- (which re-read the documents logged under it) follow.
UPDATE index_state SET generation = generation + 1;
INSERT INTO document_changes (generation, id)
SELECT s.generation, d.id FROM documents d, index_state s ON CONFLICT DO NOTHING;
