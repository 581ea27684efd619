CREATE TABLE users (
  id                UUID        PRIMARY KEY,
  email             TEXT        NOT NULL,
  -- the normalised address (trimmed, lower case) is what must be unique
  email_normalized  TEXT        NOT NULL,
  password_hash     TEXT        NOT NULL,
  display_name      TEXT        NOT NULL,
  role              TEXT        NOT NULL CHECK (role IN ('ADMIN', 'EDITOR', 'USER')),
  disabled          BOOLEAN     NOT NULL DEFAULT false,
  version           INT         NOT NULL DEFAULT 1,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT users_email_unique UNIQUE (email_normalized)
);

CREATE INDEX users_role ON users (role);
CREATE INDEX users_created ON users (created_at, id);

-- Refresh tokens are opaque random strings; only their SHA-256 is stored. Each login starts a family; each
-- refresh spends its token (used_at) and adds a child. Presenting a spent token revokes the whole family.
CREATE TABLE refresh_tokens (
  id             UUID        PRIMARY KEY,
  user_id        UUID        NOT NULL REFERENCES users (id),
  family_id      UUID        NOT NULL,
  parent_id      UUID        REFERENCES refresh_tokens (id),
  token_hash     TEXT        NOT NULL UNIQUE,
  expires_at     TIMESTAMPTZ NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  used_at        TIMESTAMPTZ,
  revoked_at     TIMESTAMPTZ,
  revoke_reason  TEXT
);

CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL;

CREATE TABLE role_changes (
  id          BIGSERIAL   PRIMARY KEY,
  user_id     UUID        NOT NULL REFERENCES users (id),
  old_role    TEXT        NOT NULL,
  new_role    TEXT        NOT NULL,
  changed_by  UUID,
  changed_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Signing keys (EC P-256, as JWK). A configured key is recorded here too, so that a key replaced in
-- configuration keeps verifying (retired) until the tokens it signed have expired. Generated development keys
-- keep their private part here; configured keys do not (it stays in configuration).
CREATE TABLE signing_keys (
  kid          TEXT        PRIMARY KEY,
  jwk          TEXT        NOT NULL,
  has_private  BOOLEAN     NOT NULL,
  source       TEXT        NOT NULL CHECK (source IN ('generated', 'configured')),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  retired_at   TIMESTAMPTZ
);

CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys ((retired_at IS NULL)) WHERE retired_at IS NULL;
