-- +goose Up
-- OpenDSR (OpenGDPR) API for the client shops: each shop has its own
-- bearer key (stored hashed) and a secret that signs status callbacks
-- (sealed, since it must be read back to sign).
ALTER TABLE shops ADD COLUMN api_key_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE shops ADD COLUMN callback_secret BLOB;

CREATE TABLE api_requests (
    subject_request_id TEXT NOT NULL,
    shop_id            INTEGER NOT NULL REFERENCES shops (id),
    request_id         TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    request_type       TEXT NOT NULL,
    callback_urls      TEXT NOT NULL DEFAULT '[]', -- JSON array
    received_at        TEXT NOT NULL,
    cancelled_at       TEXT,
    last_status        TEXT NOT NULL DEFAULT 'pending',
    PRIMARY KEY (shop_id, subject_request_id)
) WITHOUT ROWID;
CREATE INDEX api_requests_request ON api_requests (request_id);

-- The outbox carries signed webhooks too: kind 'webhook' posts text_body
-- to to_addr with the signature kept in subject.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'mail';

-- +goose Down
-- Webhooks cannot be sent as mails: without the kind column they would be.
DELETE FROM outbox WHERE kind = 'webhook';
ALTER TABLE outbox DROP COLUMN kind;
DROP TABLE api_requests;
ALTER TABLE shops DROP COLUMN callback_secret;
ALTER TABLE shops DROP COLUMN api_key_hash;
