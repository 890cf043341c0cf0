-- +goose Up
-- The activities of the register a request concerns, and whether VRACOOP
-- answers as controller or forwards to a client shop as processor.
CREATE TABLE request_routes (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL, -- register order
    activity   TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('controller', 'processor')),
    reason_fr  TEXT NOT NULL,
    reason_en  TEXT NOT NULL,
    PRIMARY KEY (request_id, activity)
) WITHOUT ROWID;
CREATE INDEX request_routes_role ON request_routes (role, request_id);

-- Each Odoo lookup's snapshot, kept whole as JSON: what was searched,
-- every record found with the fields read, and what failed.
CREATE TABLE lookups (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    complete    INTEGER NOT NULL,
    findings    INTEGER NOT NULL,
    snapshot    TEXT NOT NULL
);
CREATE INDEX lookups_request ON lookups (request_id, id);

-- +goose Down
DROP TABLE lookups;
DROP TABLE request_routes;
