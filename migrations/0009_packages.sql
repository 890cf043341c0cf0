-- +goose Up
-- Access packages released to people: the ZIP lives on disk until it
-- expires; the one-time code is stored hashed.
CREATE TABLE packages (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    path            TEXT NOT NULL,
    size            INTEGER NOT NULL,
    sha256          TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    downloads       INTEGER NOT NULL DEFAULT 0,
    code_hash       TEXT NOT NULL DEFAULT '',
    code_expires_at TEXT,
    code_sent_at    TEXT,
    attempts        INTEGER NOT NULL DEFAULT 0,
    locked          INTEGER NOT NULL DEFAULT 0,
    deleted_at      TEXT
);
CREATE INDEX packages_request ON packages (request_id, id);
CREATE INDEX packages_expiry ON packages (expires_at) WHERE deleted_at IS NULL;

-- Records matched only by a phone number or a name, which staff confirmed
-- one by one for the access package.
CREATE TABLE confirmed_findings (
    request_id   TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    finding      TEXT NOT NULL, -- "instance/model/id"
    confirmed_by TEXT NOT NULL,
    confirmed_at TEXT NOT NULL,
    PRIMARY KEY (request_id, finding)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE confirmed_findings;
DROP TABLE packages;
