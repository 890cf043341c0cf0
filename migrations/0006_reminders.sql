-- +goose Up
-- Reminders sent to staff about a request's due date: once a week before
-- it, once when it is passed. Keyed by the due date, so that a due date
-- moved by an extension or a pause gets its own reminders.
CREATE TABLE reminders (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('week', 'overdue')),
    due_date   TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (request_id, kind, due_date)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE reminders;
