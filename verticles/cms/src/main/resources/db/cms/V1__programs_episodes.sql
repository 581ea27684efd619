CREATE TABLE programs (
  id            UUID        PRIMARY KEY,
  title         TEXT        NOT NULL,
  description   TEXT        NOT NULL DEFAULT '',
  status        TEXT        NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'UNPUBLISHED', 'ARCHIVED')),
  publish_at    TIMESTAMPTZ,
  published_at  TIMESTAMPTZ,
  created_at    TIMESTAMPTZ NOT NULL,
  updated_at    TIMESTAMPTZ NOT NULL,
  created_by    TEXT        NOT NULL,
  version       INT         NOT NULL
);

CREATE INDEX programs_status ON programs (status, created_at, id);
CREATE INDEX programs_created ON programs (created_at, id);
-- what the scheduler scans: only rows with a pending publication
CREATE INDEX programs_due ON programs (publish_at) WHERE publish_at IS NOT NULL;

CREATE TABLE episodes (
  id                UUID        PRIMARY KEY,
  program_id        UUID        NOT NULL REFERENCES programs (id) ON DELETE CASCADE,
  season_number     INT         NOT NULL CHECK (season_number BETWEEN 1 AND 1000),
  episode_number    INT         NOT NULL CHECK (episode_number BETWEEN 1 AND 100000),
  title             TEXT        NOT NULL,
  description       TEXT        NOT NULL DEFAULT '',
  duration_seconds  INT         CHECK (duration_seconds BETWEEN 0 AND 172800),
  status            TEXT        NOT NULL CHECK (status IN ('DRAFT', 'PUBLISHED', 'UNPUBLISHED', 'ARCHIVED')),
  publish_at        TIMESTAMPTZ,
  published_at      TIMESTAMPTZ,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  version           INT         NOT NULL,
  CONSTRAINT episodes_number_unique UNIQUE (program_id, season_number, episode_number)
);

CREATE INDEX episodes_program ON episodes (program_id, season_number, episode_number);
CREATE INDEX episodes_status ON episodes (status, created_at, id);
CREATE INDEX episodes_due ON episodes (publish_at) WHERE publish_at IS NOT NULL;
