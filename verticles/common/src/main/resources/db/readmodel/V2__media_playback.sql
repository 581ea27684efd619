-- What plays: a video or audio asset's playback as media's events tell it (media.playback carries the asset with its
-- playback). Other media events of the asset do not carry it, so a write without it keeps what the row had.
ALTER TABLE rm_media ADD COLUMN playback_status TEXT;
ALTER TABLE rm_media ADD COLUMN playback_master TEXT;
ALTER TABLE rm_media ADD COLUMN playback_seconds INT;

CREATE INDEX rm_media_playable ON rm_media (content_id, created_at DESC)
  WHERE playback_status = 'READY' AND status = 'READY';
