CREATE TABLE metadata (
  id                UUID        PRIMARY KEY,
  content_id        UUID        NOT NULL,
  content_type      TEXT        NOT NULL CHECK (content_type IN ('PROGRAM', 'EPISODE')),
  title             TEXT        NOT NULL,
  description       TEXT        NOT NULL DEFAULT '',
  category          TEXT        NOT NULL CHECK (category IN ('MOVIE', 'TV_SHOW', 'DOCUMENTARY', 'SPORTS', 'NEWS',
                                  'ENTERTAINMENT', 'EDUCATIONAL', 'MUSIC', 'PODCAST', 'OTHER')),
  language          TEXT        NOT NULL,
  duration_seconds  INT         CHECK (duration_seconds BETWEEN 0 AND 172800),
  publish_date      DATE,
  tags              TEXT[]      NOT NULL DEFAULT '{}',
  version           INT         NOT NULL,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  -- tombstone: set when the content is deleted; the row and its history stay for audit
  deleted_at        TIMESTAMPTZ,
  CONSTRAINT metadata_content_unique UNIQUE (content_id)
);

-- every version, written in the transaction of the change that made it
CREATE TABLE metadata_versions (
  metadata_id    UUID        NOT NULL REFERENCES metadata (id) ON DELETE CASCADE,
  version        INT         NOT NULL,
  snapshot       JSONB       NOT NULL,
  change         TEXT        NOT NULL CHECK (change IN ('created', 'updated', 'restored', 'deleted')),
  restored_from  INT,
  changed_by     TEXT,
  changed_at     TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (metadata_id, version)
);
