-- Jobs on media assets: TRANSCODE (started by media.uploaded of a video or audio asset) and FRAMES (an editor's
-- request). Any instance may claim a QUEUED job; a RUNNING one is held by a lease its instance renews.
CREATE TABLE jobs (
  id               UUID             PRIMARY KEY,
  type             TEXT             NOT NULL CHECK (type IN ('TRANSCODE', 'FRAMES')),
  media_id         UUID             NOT NULL,
  status           TEXT             NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELED')),
  phase            TEXT             CHECK (phase IN ('PROBING', 'TRANSCODING', 'PACKAGING', 'UPLOADING')),
  percent          DOUBLE PRECISION NOT NULL DEFAULT 0,
  eta_seconds      INT,
  attempts         INT              NOT NULL DEFAULT 0,
  error            TEXT,
  -- what to do: the source's storage key and kind, a frames job's rate, size and format
  params           JSONB            NOT NULL,
  -- what came of it: renditions and playlists, or the ZIP
  output           JSONB,
  created_by       TEXT             NOT NULL,
  -- QUEUED: not before this time (a retry waits out its backoff); RUNNING: held by lease_owner until lease_until
  run_at           TIMESTAMPTZ      NOT NULL,
  lease_owner      TEXT,
  lease_until      TIMESTAMPTZ,
  -- the last time a RUNNING job moved (the watchdog fails one that stops moving)
  progress_at      TIMESTAMPTZ,
  -- canceled (or failed) while its instance may still have objects to remove
  cleanup_pending  BOOLEAN          NOT NULL DEFAULT FALSE,
  -- when a finished job's output is due for removal (frames ZIPs; enforced by the retention cleanup)
  expires_at       TIMESTAMPTZ,
  created_at       TIMESTAMPTZ      NOT NULL,
  updated_at       TIMESTAMPTZ      NOT NULL,
  started_at       TIMESTAMPTZ,
  finished_at      TIMESTAMPTZ,
  version          INT              NOT NULL
);

-- one transcode at a time per asset: a redelivered media.uploaded or a second upload event cannot start another
CREATE UNIQUE INDEX jobs_one_transcode ON jobs (media_id) WHERE type = 'TRANSCODE' AND status IN ('QUEUED', 'RUNNING');
CREATE INDEX jobs_queue ON jobs (run_at, id) WHERE status = 'QUEUED';
CREATE INDEX jobs_leases ON jobs (lease_until) WHERE status = 'RUNNING';
CREATE INDEX jobs_cleanup ON jobs (updated_at) WHERE cleanup_pending;
CREATE INDEX jobs_media ON jobs (media_id, created_at);
CREATE INDEX jobs_created ON jobs (created_at, id);
CREATE INDEX jobs_owner ON jobs (created_by, created_at);
