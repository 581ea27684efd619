-- tus 1.0 resumable uploads (TusUploads): what survives a restart of the media service. One row per upload, keyed by
-- the PENDING asset it fills; its bytes live in storage only, under the asset's prefix: the parts of one multipart
-- upload to the asset's key, and the bytes after the last part (fewer than a part) in a temporary "tail" object.
CREATE TABLE tus_uploads (
  id                 UUID        PRIMARY KEY REFERENCES assets (id) ON DELETE CASCADE,
  upload_length      BIGINT      NOT NULL CHECK (upload_length > 0),
  -- every byte before the offset is stored: in the parts, then in the tail object
  upload_offset      BIGINT      NOT NULL CHECK (upload_offset >= 0 AND upload_offset <= upload_length),
  -- the Upload-Metadata header as the client sent it (answered again on HEAD)
  metadata           TEXT,
  -- the upload's own part size, so a change of configuration never mixes two sizes in one upload
  part_size          INT         NOT NULL CHECK (part_size > 0),
  storage_upload_id  TEXT,
  -- ETags of the stored parts, part n at index n (1-based)
  part_etags         TEXT[]      NOT NULL DEFAULT '{}',
  -- the sniffed type, once the first bytes arrived
  mime_type          TEXT,
  created_by         TEXT        NOT NULL,
  -- slides with every PATCH; past it, an unfinished upload is aborted by the sweeper and a finished one forgotten
  expires_at         TIMESTAMPTZ NOT NULL,
  -- the PATCH (or completion) writing it now, on whichever instance, and until when unless renewed
  lease_id           UUID,
  lease_until        TIMESTAMPTZ,
  created_at         TIMESTAMPTZ NOT NULL,
  updated_at         TIMESTAMPTZ NOT NULL
);

CREATE INDEX tus_uploads_expiry ON tus_uploads (expires_at);
