-- When a rental's expiry was announced (rental.expired): a rental expires 48 h after its first play, or 30 days after
-- its order when never started. The sweeper marks it and writes the event in one transaction, so each rental's
-- expiry is announced exactly once, whichever instance sweeps.
ALTER TABLE rights ADD COLUMN expired_at TIMESTAMPTZ;
CREATE INDEX rights_rentals_to_expire ON rights (coalesce(ends_at, start_by))
  WHERE kind = 'RENTAL' AND expired_at IS NULL AND revoked_at IS NULL;
