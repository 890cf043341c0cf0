-- +goose Up
-- The staff member a request is assigned to.
ALTER TABLE requests ADD COLUMN assignee_id INTEGER REFERENCES staff (id) ON DELETE SET NULL;
-- Search by email ignores case.
ALTER TABLE requests ADD COLUMN email_lc TEXT GENERATED ALWAYS AS (lower(email)) VIRTUAL;
-- Copies, as bit sets, of the request's rights (request_kinds) and of the
-- roles of its routing (request_routes), so that the queue filters on them
-- while it walks an index in due-date order, without a join per row.
ALTER TABLE requests ADD COLUMN kinds_mask INTEGER NOT NULL DEFAULT 0;
ALTER TABLE requests ADD COLUMN roles INTEGER NOT NULL DEFAULT 0;
UPDATE requests SET kinds_mask = (
    SELECT COALESCE(SUM(CASE kind
        WHEN 'access' THEN 1 WHEN 'erasure' THEN 2 WHEN 'rectification' THEN 4
        WHEN 'restriction' THEN 8 WHEN 'objection' THEN 16 WHEN 'portability' THEN 32 END), 0)
    FROM request_kinds k WHERE k.request_id = requests.id);
UPDATE requests SET roles = (
    SELECT COALESCE(MAX(CASE role WHEN 'controller' THEN 1 ELSE 0 END) + MAX(CASE role WHEN 'processor' THEN 2 ELSE 0 END), 0)
    FROM request_routes x WHERE x.request_id = requests.id);

-- The queue's default view: open requests, most urgent first; covering, so
-- that counts and filters need not read the table. The WHERE must match the
-- query's status list exactly for SQLite to use it.
CREATE INDEX requests_open_due ON requests (due_date, ref, kinds_mask, roles, assignee_id)
    WHERE status IN ('received', 'in_progress', 'awaiting_info', 'forwarded');
CREATE INDEX requests_due ON requests (due_date, ref);
CREATE INDEX requests_assignee_due ON requests (assignee_id, due_date) WHERE assignee_id IS NOT NULL;
CREATE INDEX requests_email_lc ON requests (email_lc);
DROP INDEX requests_email;

-- +goose Down
CREATE INDEX requests_email ON requests (email) WHERE email <> '';
DROP INDEX requests_email_lc;
DROP INDEX requests_assignee_due;
DROP INDEX requests_due;
DROP INDEX requests_open_due;
ALTER TABLE requests DROP COLUMN roles;
ALTER TABLE requests DROP COLUMN kinds_mask;
ALTER TABLE requests DROP COLUMN email_lc;
ALTER TABLE requests DROP COLUMN assignee_id;
