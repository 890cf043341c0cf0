-- +goose Up
CREATE TABLE shops (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    legal_entity   TEXT NOT NULL,
    town           TEXT NOT NULL,
    privacy_email  TEXT NOT NULL,
    lang           TEXT NOT NULL,
    contract_start TEXT NOT NULL,
    contract_end   TEXT,
    odoo_url       TEXT NOT NULL DEFAULT '',
    odoo_db        TEXT NOT NULL DEFAULT '',
    odoo_login     TEXT NOT NULL DEFAULT '',
    odoo_protocol  TEXT NOT NULL DEFAULT 'xmlrpc',
    odoo_key       BLOB,              -- AES-GCM sealed, never shown again
    search_allowed INTEGER NOT NULL DEFAULT 0,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
);

-- The shop the person picked on the form, when listed.
ALTER TABLE requests ADD COLUMN shop_id INTEGER REFERENCES shops (id);

-- One processor case per request and shop.
CREATE TABLE shop_cases (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id    TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    shop_id       INTEGER NOT NULL REFERENCES shops (id),
    state         TEXT NOT NULL,
    forwarded_at  TEXT NOT NULL,
    forward_due   TEXT NOT NULL,
    shop_due      TEXT NOT NULL,
    instruction   TEXT NOT NULL DEFAULT '',
    deliver_to    TEXT NOT NULL DEFAULT '',
    instructed_by TEXT NOT NULL DEFAULT '',
    instructed_at TEXT,
    answer        TEXT NOT NULL DEFAULT '',
    reminded_at   TEXT,
    done_at       TEXT,
    UNIQUE (request_id, shop_id)
);
CREATE INDEX shop_cases_state ON shop_cases (state, forwarded_at);

-- The shop page's links: one per case, only the hash stored.
CREATE TABLE case_tokens (
    hash       TEXT PRIMARY KEY,
    case_id    INTEGER NOT NULL REFERENCES shop_cases (id) ON DELETE CASCADE,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;

-- Where an access package goes: the person (empty), or the shop's address
-- when the shop instructed so.
ALTER TABLE packages ADD COLUMN recipient TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE packages DROP COLUMN recipient;
DROP TABLE case_tokens;
DROP TABLE shop_cases;
ALTER TABLE requests DROP COLUMN shop_id;
DROP TABLE shops;
