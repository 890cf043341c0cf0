package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/vracoop/dsar/internal/dsar"
)

// appendAudit adds e to the audit log inside tx, chained to the last entry.
// Write transactions are immediate, so two appends cannot read the same
// last hash.
func appendAudit(ctx context.Context, tx *sql.Tx, e dsar.AuditEntry) error {
	var prev string
	var lastID int64
	err := tx.QueryRowContext(ctx, `SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1`).Scan(&lastID, &prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return mapError(fmt.Errorf("read audit chain: %w", err))
	}
	e.ID = lastID + 1
	e.PrevHash = prev
	e.Hash = e.ComputeHash(prev)
	_, err = tx.ExecContext(ctx, `
		INSERT INTO audit_log (id, at, actor, action, request_id, details, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		e.ID, formatTime(e.At), e.Actor, e.Action, e.RequestID, e.Details, e.PrevHash, e.Hash)
	if err != nil {
		return mapError(fmt.Errorf("append audit entry: %w", err))
	}
	return nil
}

// Audit appends one entry to the audit log on its own.
func (db *DB) Audit(ctx context.Context, e dsar.AuditEntry) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return appendAudit(ctx, tx, e) })
}

// AuditLog returns the audit entries with an ID above after, oldest first,
// at most limit of them (0: all).
func (db *DB) AuditLog(ctx context.Context, after int64, limit int) ([]dsar.AuditEntry, error) {
	if limit <= 0 {
		limit = -1
	}
	rows, err := db.db.QueryContext(ctx, `
		SELECT id, at, actor, action, request_id, details, prev_hash, hash
		FROM audit_log WHERE id > ? ORDER BY id LIMIT ?`, after, limit)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	defer rows.Close()
	var out []dsar.AuditEntry
	for rows.Next() {
		var e dsar.AuditEntry
		var at string
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.RequestID, &e.Details, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		if e.At, err = parseTime(at); err != nil {
			return nil, fmt.Errorf("audit entry %d: %w", e.ID, err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// VerifyAudit walks the whole chain in pages and reports the first break,
// and how many entries it checked.
func (db *DB) VerifyAudit(ctx context.Context) (checked int, brk *dsar.ChainBreak, err error) {
	const page = 5000
	var after int64
	var prev string
	for {
		entries, err := db.AuditLog(ctx, after, page)
		if err != nil {
			return checked, nil, err
		}
		if len(entries) == 0 {
			return checked, nil, nil
		}
		if b := dsar.VerifyChain(prev, entries); b != nil {
			return checked, b, nil
		}
		checked += len(entries)
		last := entries[len(entries)-1]
		prev, after = last.Hash, last.ID
	}
}
