package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// SavePlan stores a plan (a new one when p.ID is 0) and records what
// happened to it in the request's history and the audit log. A new draft
// replaces an older draft; plans that were approved stay as history.
func (db *DB) SavePlan(ctx context.Context, p *dsar.Plan, actor, action, note string, now time.Time) error {
	steps, err := json.Marshal(p.Steps)
	if err != nil {
		return fmt.Errorf("encode plan: %w", err)
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if p.ID == 0 {
			if _, err := tx.ExecContext(ctx, `DELETE FROM plans WHERE request_id = ? AND state = ?`, p.RequestID, dsar.PlanDraft); err != nil {
				return mapError(fmt.Errorf("replace draft plan: %w", err))
			}
			res, err := tx.ExecContext(ctx, `
				INSERT INTO plans (request_id, state, created_at, created_by, approved_at, approved_by, executed_at, steps)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
				p.RequestID, p.State, formatTime(p.CreatedAt), p.CreatedBy, nullTime(p.ApprovedAt), p.ApprovedBy, nullTime(p.ExecutedAt), string(steps))
			if err != nil {
				return mapError(fmt.Errorf("insert plan: %w", err))
			}
			if p.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, `
				UPDATE plans SET state = ?, approved_at = ?, approved_by = ?, executed_at = ?, steps = ? WHERE id = ?`,
			p.State, nullTime(p.ApprovedAt), p.ApprovedBy, nullTime(p.ExecutedAt), string(steps), p.ID); err != nil {
			return mapError(fmt.Errorf("update plan: %w", err))
		}
		if err := insertEvent(ctx, tx, dsar.Event{RequestID: p.RequestID, At: now, Actor: actor, Type: dsar.EventPlan, Note: note}); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: action, RequestID: p.RequestID,
			Details: fmt.Sprintf("plan #%d: %s", p.ID, note)})
	})
}

// LatestPlan returns the newest plan of a request, or ENOTFOUND.
func (db *DB) LatestPlan(ctx context.Context, requestID string) (dsar.Plan, error) {
	var p dsar.Plan
	var created, steps string
	var approved, executed sql.NullString
	err := db.db.QueryRowContext(ctx, `
		SELECT id, request_id, state, created_at, created_by, approved_at, approved_by, executed_at, steps
		FROM plans WHERE request_id = ? ORDER BY id DESC LIMIT 1`, requestID).
		Scan(&p.ID, &p.RequestID, &p.State, &created, &p.CreatedBy, &approved, &p.ApprovedBy, &executed, &steps)
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("plan")
	} else if err != nil {
		return p, fmt.Errorf("latest plan: %w", err)
	}
	var errs [3]error
	p.CreatedAt, errs[0] = parseTime(created)
	p.ApprovedAt, errs[1] = scanNullTime(approved)
	p.ExecutedAt, errs[2] = scanNullTime(executed)
	if err := errors.Join(errs[:]...); err != nil {
		return p, err
	}
	if err := json.Unmarshal([]byte(steps), &p.Steps); err != nil {
		return p, fmt.Errorf("decode plan %d: %w", p.ID, err)
	}
	return p, nil
}
