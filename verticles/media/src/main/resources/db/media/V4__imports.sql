-- Imports from a URL (UrlImports, imports/ImportRunner): a file downloaded in the background into the PENDING asset
-- it fills. The row is the whole state of the download, so any instance can take it up, also after a restart: the
-- multipart upload its parts go to, their ETags, and the validator of the source's first answer, to resume with
-- Range and If-Range without ever splicing two versions of a file.
CREATE TABLE imports (
  id                 UUID        PRIMARY KEY,
  media_id           UUID        NOT NULL UNIQUE REFERENCES assets (id) ON DELETE CASCADE,
  url                TEXT        NOT NULL,
  -- the SHA-256 (hex, lower case) the file must have, when the client gave one
  expected_sha256    TEXT,
  status             TEXT        NOT NULL CHECK (status IN ('QUEUED', 'DOWNLOADING', 'SUCCEEDED', 'FAILED')),
  -- stored so far: the end of the last stored part (the file's size once SUCCEEDED)
  bytes              BIGINT      NOT NULL DEFAULT 0 CHECK (bytes >= 0),
  -- the file's size as the source said it (Content-Length, or the total of a Content-Range), when it did
  total_bytes        BIGINT,
  attempts           INT         NOT NULL DEFAULT 0,
  error              TEXT,
  created_by         TEXT        NOT NULL,
  -- when a QUEUED import may be taken (a retry waits out its backoff)
  run_at             TIMESTAMPTZ NOT NULL,
  -- the instance downloading it, and until when unless renewed (then another instance takes it up)
  lease_owner        TEXT,
  lease_until        TIMESTAMPTZ,
  -- the import's own part size, so a change of configuration never mixes two sizes in one upload
  part_size          INT         NOT NULL CHECK (part_size > 0),
  storage_upload_id  TEXT,
  -- ETags of the stored parts, part n at index n (1-based); every part but the last is part_size bytes
  part_etags         TEXT[]      NOT NULL DEFAULT '{}',
  -- the strong ETag, or else the Last-Modified, of the answer the stored bytes came from (If-Range on a resume)
  validator          TEXT,
  -- the sniffed type, once the first bytes arrived
  mime_type          TEXT,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX imports_due ON imports (run_at) WHERE status = 'QUEUED';
CREATE INDEX imports_leased ON imports (lease_until) WHERE status = 'DOWNLOADING';
