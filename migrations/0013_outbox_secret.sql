-- +goose Up
-- The token or one-time code a mail carries, so that it can be cut out of
-- the stored copy once the mail is sent: the outbox keeps what was sent, not
-- a working link to the person's request.
ALTER TABLE outbox ADD COLUMN secret TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE outbox DROP COLUMN secret;
