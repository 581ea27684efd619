-- The content projection that read models (search, discovery) keep in their own database, built only from
-- content.events, metadata.events and media.events. Each row keeps the version of the event that wrote it: an
-- older or repeated event never overwrites a newer one, so replaying the topics from the start gives the same rows.
-- Deletions are tombstones (status DELETED / deleted = true) for the same reason.

CREATE TABLE rm_content (
  id              UUID PRIMARY KEY,
  type            TEXT        NOT NULL CHECK (type IN ('PROGRAM', 'EPISODE')),
  program_id      UUID,
  title           TEXT        NOT NULL,
  description     TEXT,
  status          TEXT        NOT NULL,
  season_number   INT,
  episode_number  INT,
  duration_seconds INT,
  published_at    TIMESTAMPTZ,
  version         INT         NOT NULL,
  changed_at      TIMESTAMPTZ NOT NULL
);

CREATE INDEX rm_content_program ON rm_content (program_id) WHERE program_id IS NOT NULL;

CREATE TABLE rm_metadata (
  id               UUID PRIMARY KEY,
  content_id       UUID        NOT NULL,
  title            TEXT,
  description      TEXT,
  category         TEXT,
  language         TEXT,
  tags             TEXT[]      NOT NULL DEFAULT '{}',
  duration_seconds INT,
  publish_date     DATE,
  deleted          BOOLEAN     NOT NULL DEFAULT false,
  version          INT         NOT NULL
);

CREATE INDEX rm_metadata_content ON rm_metadata (content_id) WHERE NOT deleted;

CREATE TABLE rm_media (
  id           UUID PRIMARY KEY,
  content_id   UUID        NOT NULL,
  kind         TEXT        NOT NULL,
  status       TEXT        NOT NULL,
  storage_key  TEXT,
  parent_id    UUID,
  created_at   TIMESTAMPTZ NOT NULL,
  version      INT         NOT NULL
);

CREATE INDEX rm_media_content ON rm_media (content_id, kind) WHERE status = 'READY';
CREATE INDEX rm_media_parent ON rm_media (parent_id) WHERE parent_id IS NOT NULL;

-- What the public may see: published content, and an episode only while its program is published too; merged
-- with its metadata (the CMS's title and description win) and its newest ready picture and playable asset.
CREATE VIEW rm_visible AS
SELECT c.id,
       c.type,
       c.program_id,
       c.title,
       coalesce(c.description, m.description) AS description,
       c.season_number,
       c.episode_number,
       coalesce(c.duration_seconds, m.duration_seconds) AS duration_seconds,
       c.published_at,
       c.version,
       m.category,
       m.language,
       coalesce(m.tags, '{}') AS tags,
       m.publish_date,
       (SELECT coalesce((SELECT t.storage_key FROM rm_media t
                          WHERE t.parent_id = i.id AND t.kind = 'THUMBNAIL' AND t.status = 'READY'
                          ORDER BY t.created_at DESC, t.id LIMIT 1), i.storage_key)
          FROM rm_media i
         WHERE i.content_id = c.id AND i.kind = 'IMAGE' AND i.status = 'READY'
         ORDER BY i.created_at DESC, i.id LIMIT 1) AS thumbnail_key,
       (SELECT a.storage_key FROM rm_media a
         WHERE a.content_id = c.id AND a.kind IN ('VIDEO', 'AUDIO') AND a.status = 'READY'
         ORDER BY a.created_at DESC, a.id LIMIT 1) AS media_key
  FROM rm_content c
  LEFT JOIN rm_metadata m ON m.content_id = c.id AND NOT m.deleted
  LEFT JOIN rm_content p ON p.id = c.program_id
 WHERE c.status = 'PUBLISHED'
   AND (c.type = 'PROGRAM' OR p.status = 'PUBLISHED');

CREATE INDEX rm_content_published ON rm_content (type, published_at DESC, id) WHERE status = 'PUBLISHED';
