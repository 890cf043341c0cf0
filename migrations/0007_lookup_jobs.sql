-- +goose Up
-- Odoo lookups waiting to run, or to run again after Odoo failed: the
-- request waits, it does not fail.
CREATE TABLE lookup_jobs (
    request_id      TEXT PRIMARY KEY REFERENCES requests (id) ON DELETE CASCADE,
    requested_at    TEXT NOT NULL,
    requested_by    TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT ''
) WITHOUT ROWID;
CREATE INDEX lookup_jobs_due ON lookup_jobs (next_attempt_at);

-- +goose Down
DROP TABLE lookup_jobs;
