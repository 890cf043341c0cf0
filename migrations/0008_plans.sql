-- +goose Up
-- Plans of what is done in Odoo and by hand for a request. The steps, with
-- the masked values before and after each change, are kept whole as JSON.
CREATE TABLE plans (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    state       TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    approved_at TEXT,
    approved_by TEXT NOT NULL DEFAULT '',
    executed_at TEXT,
    steps       TEXT NOT NULL
);
CREATE INDEX plans_request ON plans (request_id, id);

-- +goose Down
DROP TABLE plans;
