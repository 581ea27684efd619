-- A program's kind (SERIES, SHOW, PODCAST, MOVIE) in the projection; null for episodes and for events of programs
-- written before kinds existed (they are SERIES).
ALTER TABLE rm_content ADD COLUMN kind TEXT;
