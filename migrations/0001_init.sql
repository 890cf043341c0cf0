-- +goose Up
-- Times are stored as UTC text of fixed width (see internal/sqlite/time.go)
-- so that they sort as they compare; civil dates as YYYY-MM-DD.

CREATE TABLE requests (
    id               TEXT PRIMARY KEY,               -- UUID
    ref              TEXT NOT NULL UNIQUE,           -- DSAR-2026-000042
    status           TEXT NOT NULL,
    relationship     TEXT NOT NULL,
    channel          TEXT NOT NULL,
    lang             TEXT NOT NULL,
    name             TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    phone            TEXT NOT NULL DEFAULT '',
    shop_name        TEXT NOT NULL DEFAULT '',
    shop_town        TEXT NOT NULL DEFAULT '',
    rectify_wrong    TEXT NOT NULL DEFAULT '',
    rectify_correct  TEXT NOT NULL DEFAULT '',
    details          TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    received_at      TEXT NOT NULL,
    confirmed_at     TEXT,
    clock_start      TEXT,                           -- civil date in Europe/Paris
    due_date         TEXT,                           -- derived from the clock, kept for sorting
    extended         INTEGER NOT NULL DEFAULT 0,
    extension_reason TEXT NOT NULL DEFAULT '',
    paused_days      INTEGER NOT NULL DEFAULT 0,
    paused_since     TEXT,
    closed_at        TEXT,
    purged_at        TEXT
);
CREATE INDEX requests_status_due ON requests (status, due_date);
CREATE INDEX requests_email ON requests (email) WHERE email <> '';

CREATE TABLE request_kinds (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    PRIMARY KEY (request_id, kind)
) WITHOUT ROWID;
CREATE INDEX request_kinds_kind ON request_kinds (kind);

-- One counter a year gives references without gaps under concurrency.
CREATE TABLE ref_counters (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id  TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    type        TEXT NOT NULL,
    from_status TEXT NOT NULL DEFAULT '',
    to_status   TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_events_request ON request_events (request_id, id);

-- Only the SHA-256 of a token is stored.
CREATE TABLE tokens (
    hash       TEXT PRIMARY KEY,
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) WITHOUT ROWID;
CREATE INDEX tokens_request ON tokens (request_id, purpose);
CREATE INDEX tokens_purpose_expiry ON tokens (purpose, expires_at) WHERE used_at IS NULL;

-- The outbox: a mail is written here in the same transaction as the change
-- that causes it, and the worker sends it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id      TEXT REFERENCES requests (id) ON DELETE SET NULL,
    to_addr         TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending', -- pending, sent, failed, cancelled
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT NOT NULL DEFAULT '',
    sent_at         TEXT
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_request ON outbox (request_id);

-- Keys the service generates for itself on first start (CSRF signing).
CREATE TABLE app_secrets (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- +goose Down
DROP TABLE app_secrets;
DROP TABLE outbox;
DROP TABLE tokens;
DROP TABLE request_events;
DROP TABLE ref_counters;
DROP TABLE request_kinds;
DROP TABLE requests;
