-- Access tokens of a user issued before this instant are refused by every verifier (disable, role change, logout,
-- a refresh token's reuse): the cut-off is pushed on the bus (mediamesh.auth.revoked) and served to verifiers that
-- start later (mediamesh.auth.revocations).
ALTER TABLE users ADD COLUMN tokens_valid_after TIMESTAMPTZ;
CREATE INDEX users_tokens_valid_after ON users (tokens_valid_after) WHERE tokens_valid_after IS NOT NULL;
