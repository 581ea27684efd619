-- A video or audio asset's playback as the processing service made it: status (PENDING, PROCESSING, READY, FAILED),
-- duration, renditions, master playlist, poster and storyboard as storage keys (URLs are made when read), and the
-- transcode job and its last update it came from. Written only from processing.* events.
ALTER TABLE assets ADD COLUMN playback JSONB;
