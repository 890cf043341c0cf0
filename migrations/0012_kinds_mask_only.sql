-- +goose Up
-- A request's rights are kept once, as the kinds_mask bit set on the request
-- (bit i for the i-th right of the form: access, erasure, rectification,
-- restriction, objection, portability), which the queue already filtered on.
-- The table that held them a second time cost every new request two more
-- B-tree inserts.
DROP INDEX request_kinds_kind;
DROP TABLE request_kinds;

-- +goose Down
CREATE TABLE request_kinds (
    request_id TEXT NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL,
    PRIMARY KEY (request_id, kind)
) WITHOUT ROWID;
CREATE INDEX request_kinds_kind ON request_kinds (kind);
INSERT INTO request_kinds (request_id, kind)
    SELECT r.id, k.kind FROM requests r JOIN (
        SELECT 1 AS bit, 'access' AS kind UNION ALL SELECT 2, 'erasure' UNION ALL SELECT 4, 'rectification'
        UNION ALL SELECT 8, 'restriction' UNION ALL SELECT 16, 'objection' UNION ALL SELECT 32, 'portability') k
    ON r.kinds_mask & k.bit <> 0;
