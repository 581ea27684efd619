-- A feed is what is imported: one per source type and normalised URL. Jobs of the same feed (a scheduled source,
-- ad-hoc jobs, retries) share it, so importing a feed again updates what was imported instead of duplicating it.
CREATE TABLE feeds (
  feed_key             TEXT        PRIMARY KEY,
  source_type          TEXT        NOT NULL CHECK (source_type IN ('RSS', 'YOUTUBE', 'API')),
  url                  TEXT        NOT NULL,
  program_id           UUID,
  program_metadata_id  UUID,
  program_hash         TEXT,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per item of a feed (its GUID, video id or mapped id), reserved with its episode numbers before the
-- episode is created in the CMS, so a job interrupted between the two finds the episode again by its numbers.
CREATE TABLE feed_items (
  feed_key         TEXT        NOT NULL REFERENCES feeds (feed_key) ON DELETE CASCADE,
  item_key         TEXT        NOT NULL,
  season_number    INT         NOT NULL,
  episode_number   INT         NOT NULL,
  episode_id       UUID,
  metadata_id      UUID,
  content_hash     TEXT,
  image_url        TEXT,
  media_url        TEXT,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (feed_key, item_key),
  CONSTRAINT feed_items_number_unique UNIQUE (feed_key, season_number, episode_number)
);

CREATE TABLE sources (
  id                UUID        PRIMARY KEY,
  source_type       TEXT        NOT NULL CHECK (source_type IN ('RSS', 'YOUTUBE', 'API')),
  url               TEXT        NOT NULL,
  feed_key          TEXT        NOT NULL,
  mapping           JSONB,
  interval_seconds  INT         CHECK (interval_seconds > 0),
  enabled           BOOLEAN     NOT NULL,
  next_run_at       TIMESTAMPTZ,
  created_by        TEXT        NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL
);

CREATE INDEX sources_created ON sources (created_at, id);
-- what the scheduler scans: enabled sources with a run to come (without an interval, a source runs once)
CREATE INDEX sources_due ON sources (next_run_at) WHERE enabled AND next_run_at IS NOT NULL;

CREATE TABLE jobs (
  id               UUID        PRIMARY KEY,
  source_id        UUID        REFERENCES sources (id) ON DELETE SET NULL,
  source_type      TEXT        NOT NULL CHECK (source_type IN ('RSS', 'YOUTUBE', 'API')),
  source_url       TEXT        NOT NULL,
  feed_key         TEXT        NOT NULL,
  mapping          JSONB,
  status           TEXT        NOT NULL CHECK (status IN ('PENDING', 'RUNNING', 'COMPLETED', 'FAILED')),
  attempts         INT         NOT NULL DEFAULT 0,
  items_imported   INT         NOT NULL DEFAULT 0,
  items_updated    INT         NOT NULL DEFAULT 0,
  items_skipped    INT         NOT NULL DEFAULT 0,
  program_id       UUID,
  error            TEXT,
  -- PENDING: not before this time (a retry waits out its backoff); RUNNING: the claim is good until lease_until
  run_at           TIMESTAMPTZ,
  lease_until      TIMESTAMPTZ,
  created_by       TEXT        NOT NULL,
  created_at       TIMESTAMPTZ NOT NULL,
  updated_at       TIMESTAMPTZ NOT NULL,
  started_at       TIMESTAMPTZ,
  finished_at      TIMESTAMPTZ,
  version          INT         NOT NULL
);

CREATE INDEX jobs_created ON jobs (created_at, id);
CREATE INDEX jobs_runnable ON jobs (run_at) WHERE status = 'PENDING';
CREATE INDEX jobs_running ON jobs (feed_key) WHERE status = 'RUNNING';
CREATE INDEX jobs_source ON jobs (source_id, status);
