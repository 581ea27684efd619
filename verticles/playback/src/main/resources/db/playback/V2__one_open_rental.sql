-- One rental of a content not started yet per account: two racing rentals cannot both be charged and kept (the
-- second is refused and its charge refunded).
CREATE UNIQUE INDEX rights_one_open_rental ON rights (account_id, content_type, content_id)
  WHERE kind = 'RENTAL' AND revoked_at IS NULL AND first_played_at IS NULL;
