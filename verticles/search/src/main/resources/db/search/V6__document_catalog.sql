-- The catalog fields searches filter and count by: the program's kind, the genres, and the effective age rating
-- (an episode's own, else its program's; null when nobody rated it, which a profile with an age limit never sees).
-- Documents indexed before this have none until they are derived again (a change, or POST .../search/reindex).
ALTER TABLE documents ADD COLUMN kind TEXT;
ALTER TABLE documents ADD COLUMN genres TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE documents ADD COLUMN rating INT;
