-- What a program is: a SERIES, SHOW or PODCAST has episodes; a MOVIE has one feature asset and no episodes.
ALTER TABLE programs ADD COLUMN kind TEXT NOT NULL DEFAULT 'SERIES'
  CHECK (kind IN ('SERIES', 'SHOW', 'PODCAST', 'MOVIE'));
