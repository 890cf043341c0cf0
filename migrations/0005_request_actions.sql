-- +goose Up
ALTER TABLE requests ADD COLUMN identity_verified_at TEXT;
ALTER TABLE requests ADD COLUMN identity_method TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN denial_ground TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN denial_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN outcome TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE requests DROP COLUMN outcome;
ALTER TABLE requests DROP COLUMN denial_reason;
ALTER TABLE requests DROP COLUMN denial_ground;
ALTER TABLE requests DROP COLUMN identity_method;
ALTER TABLE requests DROP COLUMN identity_verified_at;
