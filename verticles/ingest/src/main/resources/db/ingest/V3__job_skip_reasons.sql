-- Why a job's skipped items were skipped (reason -> count), so the job says it instead of only counting them.
ALTER TABLE jobs ADD COLUMN skip_reasons JSONB NOT NULL DEFAULT '{}';
