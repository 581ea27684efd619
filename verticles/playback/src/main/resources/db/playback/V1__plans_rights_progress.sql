-- Plans, the rights bought with them or granted, the access rules of content, and watch progress. Sessions and
-- stream counters live in Redis (they last minutes); everything here is what must never be lost.

CREATE TABLE plans (
  id           UUID PRIMARY KEY,
  name         TEXT        NOT NULL,
  description  TEXT,
  price        INT         NOT NULL CHECK (price >= 0),
  currency     TEXT        NOT NULL,
  period_days  INT         NOT NULL CHECK (period_days > 0),
  packages     TEXT[]      NOT NULL DEFAULT '{}',
  max_streams  INT         NOT NULL CHECK (max_streams > 0),
  max_quality  INT,
  evict_oldest BOOLEAN     NOT NULL DEFAULT false,
  active       BOOLEAN     NOT NULL DEFAULT true,
  created_at   TIMESTAMPTZ NOT NULL,
  updated_at   TIMESTAMPTZ NOT NULL
);

-- What a payment provider was asked for and answered. The built-in provider records orders without taking money.
CREATE TABLE orders (
  id           UUID PRIMARY KEY,
  account_id   TEXT        NOT NULL,
  kind         TEXT        NOT NULL CHECK (kind IN ('SUBSCRIPTION', 'PURCHASE', 'RENTAL')),
  subject      JSONB       NOT NULL,
  amount       INT         NOT NULL,
  currency     TEXT        NOT NULL,
  provider     TEXT        NOT NULL,
  provider_ref TEXT,
  status       TEXT        NOT NULL,
  created_at   TIMESTAMPTZ NOT NULL
);

CREATE INDEX orders_account ON orders (account_id, created_at DESC);

-- Every right an account holds: a subscription to a plan (until ends_at), a purchase of content (no end) or a
-- rental (to be started before start_by, then lasting until ends_at from its first play). Bought through an order
-- or granted by an admin; revoked rights stay as history.
CREATE TABLE rights (
  id              UUID PRIMARY KEY,
  account_id      TEXT        NOT NULL,
  kind            TEXT        NOT NULL CHECK (kind IN ('SUBSCRIPTION', 'PURCHASE', 'RENTAL')),
  plan_id         UUID REFERENCES plans (id),
  content_type    TEXT CHECK (content_type IN ('PROGRAM', 'EPISODE')),
  content_id      UUID,
  order_id        UUID REFERENCES orders (id),
  granted_by      TEXT,
  created_at      TIMESTAMPTZ NOT NULL,
  start_by        TIMESTAMPTZ,
  first_played_at TIMESTAMPTZ,
  ends_at         TIMESTAMPTZ,
  rental_hours    INT,
  revoked_at      TIMESTAMPTZ,
  CHECK ((kind = 'SUBSCRIPTION') = (plan_id IS NOT NULL)),
  CHECK ((kind = 'SUBSCRIPTION') = (content_id IS NULL))
);

CREATE INDEX rights_account ON rights (account_id, kind) WHERE revoked_at IS NULL;
-- one standing purchase of a content per account
CREATE UNIQUE INDEX rights_one_purchase ON rights (account_id, content_type, content_id)
  WHERE kind = 'PURCHASE' AND revoked_at IS NULL;

-- The access of a program or an episode (an episode without a row inherits its program's).
CREATE TABLE access_rules (
  content_type    TEXT        NOT NULL CHECK (content_type IN ('PROGRAM', 'EPISODE')),
  content_id      UUID        NOT NULL,
  access          JSONB       NOT NULL,
  available_from  TIMESTAMPTZ,
  available_until TIMESTAMPTZ,
  updated_by      TEXT,
  updated_at      TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (content_type, content_id)
);

-- Where each viewer (an account's profile; '' without one) stands in each programme.
CREATE TABLE watch_progress (
  account_id       TEXT        NOT NULL,
  profile_id       TEXT        NOT NULL DEFAULT '',
  content_type     TEXT        NOT NULL,
  content_id       UUID        NOT NULL,
  position_seconds INT         NOT NULL,
  duration_seconds INT,
  finished         BOOLEAN     NOT NULL DEFAULT false,
  updated_at       TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account_id, profile_id, content_type, content_id)
);

CREATE INDEX watch_progress_recent ON watch_progress (account_id, profile_id, updated_at DESC);
