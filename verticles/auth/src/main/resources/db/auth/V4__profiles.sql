-- Profiles of an account (up to 5): who is watching. A kids profile and any profile's maximum age rating limit
-- what browse, search and play show; an optional PIN (4 to 6 digits, Argon2id like passwords) guards selecting it,
-- and wrong PINs in a row lock it for a while (pin_failures, pin_locked_until).
CREATE TABLE profiles (
  id                UUID        PRIMARY KEY,
  user_id           UUID        NOT NULL REFERENCES users (id),
  name              TEXT        NOT NULL,
  avatar            TEXT,
  kids              BOOLEAN     NOT NULL DEFAULT false,
  max_age_rating    INT         NOT NULL CHECK (max_age_rating IN (0, 6, 12, 16, 18)),
  pin_hash          TEXT,
  pin_failures      INT         NOT NULL DEFAULT 0,
  pin_locked_until  TIMESTAMPTZ,
  version           INT         NOT NULL DEFAULT 1,
  created_at        TIMESTAMPTZ NOT NULL,
  updated_at        TIMESTAMPTZ NOT NULL,
  CHECK (NOT kids OR max_age_rating <= 12)
);

CREATE UNIQUE INDEX profiles_user_name ON profiles (user_id, lower(name));

-- The profile a refresh token's family is scoped to (null: the account as a whole). A deleted profile's families
-- are revoked with it; a refresh never turns a profile's session into the account's.
ALTER TABLE refresh_tokens ADD COLUMN profile_id UUID;
CREATE INDEX refresh_tokens_profile ON refresh_tokens (profile_id) WHERE profile_id IS NOT NULL AND revoked_at IS NULL;
