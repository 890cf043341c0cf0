package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// PurgeClosed reduces every request closed before cutoff to a minimal
// record without personal data: its reference, dates, rights, channel,
// routing and outcome stay, for accountability; its personal fields, the
// content of its mails, its Odoo snapshots, its plans, its tokens and the
// free text of its history go. It returns the references purged.
func (db *DB) PurgeClosed(ctx context.Context, cutoff, now time.Time) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT id, ref FROM requests
		WHERE closed_at IS NOT NULL AND closed_at < ? AND purged_at IS NULL AND status IN ('completed', 'denied', 'not_confirmed')`,
		formatTime(cutoff))
	if err != nil {
		return nil, fmt.Errorf("find requests to purge: %w", err)
	}
	type target struct{ id, ref string }
	var targets []target
	for rows.Next() {
		var t target
		if err := rows.Scan(&t.id, &t.ref); err != nil {
			rows.Close()
			return nil, err
		}
		targets = append(targets, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var refs []string
	for _, t := range targets {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			stmts := []struct {
				q    string
				args []any
			}{
				{`UPDATE requests SET name = '', email = '', phone = '', shop_name = '', shop_town = '',
					rectify_wrong = '', rectify_correct = '', details = '', identity_method = '',
					denial_reason = '', outcome = '', extension_reason = '', purged_at = ? WHERE id = ?`, []any{formatTime(now), t.id}},
				// Free text typed by staff or the person may hold personal data.
				{`UPDATE request_events SET note = '' WHERE request_id = ?
					AND type IN ('note', 'ask_info', 'info_received', 'identity_verified', 'extend', 'deny', 'complete', 'mail')`, []any{t.id}},
				{`DELETE FROM lookups WHERE request_id = ?`, []any{t.id}},
				{`DELETE FROM plans WHERE request_id = ?`, []any{t.id}},
				{`DELETE FROM tokens WHERE request_id = ?`, []any{t.id}},
				{`DELETE FROM lookup_jobs WHERE request_id = ?`, []any{t.id}},
				{`DELETE FROM confirmed_findings WHERE request_id = ?`, []any{t.id}},
			}
			for _, st := range stmts {
				if _, err := tx.ExecContext(ctx, st.q, st.args...); err != nil {
					return mapError(fmt.Errorf("purge %s: %w", t.ref, err))
				}
			}
			if err := purgeMail(ctx, tx, t.id, now); err != nil {
				return err
			}
			return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: dsar.ActorSystem, Action: "request_purged", RequestID: t.id,
				Details: t.ref + ": retention period over; reduced to a minimal record"})
		})
		if err != nil {
			return refs, err
		}
		refs = append(refs, t.ref)
	}
	return refs, nil
}
