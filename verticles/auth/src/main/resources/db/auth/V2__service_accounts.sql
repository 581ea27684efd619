-- A service account is a real user (role EDITOR) that a service client (ingest) acts as when no person is
-- there to lend a token, e.g. for scheduled imports. It has no usable password (its hash is not a PHC string, so
-- login never succeeds); it gets access tokens from mediamesh.auth.service-token with its client secret.
ALTER TABLE users ADD COLUMN service_client TEXT;
CREATE UNIQUE INDEX users_service_client ON users (service_client) WHERE service_client IS NOT NULL;
