-- Wave 2's catalog fields: genres, credits ({name, role, character?}) and the age rating (the minimum viewer age).
ALTER TABLE metadata ADD COLUMN genres TEXT[] NOT NULL DEFAULT '{}';
ALTER TABLE metadata ADD COLUMN credits JSONB NOT NULL DEFAULT '[]';
ALTER TABLE metadata ADD COLUMN age_rating INT CHECK (age_rating IN (0, 6, 12, 16, 18));
