-- A source stopped because its owner was disabled or lost the editor role (auth.events) is marked so, and starts
-- again when the owner can import again; sources an editor turned off stay off.
ALTER TABLE sources ADD COLUMN stopped_for_owner BOOLEAN NOT NULL DEFAULT false;
