package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// RequestLookup asks for an Odoo lookup of a request, now; a lookup already
// waiting is brought forward.
func (db *DB) RequestLookup(ctx context.Context, requestID, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := requestLookup(ctx, tx, requestID, actor, now); err != nil {
			return err
		}
		if err := appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: "lookup_requested", RequestID: requestID}); err != nil {
			return err
		}
		return insertEvent(ctx, tx, dsar.Event{RequestID: requestID, At: now, Actor: actor, Type: dsar.EventLookup, Note: "lookup requested"})
	})
}

func requestLookup(ctx context.Context, tx *sql.Tx, requestID, actor string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO lookup_jobs (request_id, requested_at, requested_by, next_attempt_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (request_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at`,
		requestID, formatTime(now), actor, formatTime(now))
	if err != nil {
		return mapError(fmt.Errorf("request lookup: %w", err))
	}
	return nil
}

// DueLookups returns up to limit lookups due at now, oldest first.
func (db *DB) DueLookups(ctx context.Context, now time.Time, limit int) ([]dsar.LookupJob, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT request_id, requested_at, requested_by, attempts, next_attempt_at, last_error
		FROM lookup_jobs WHERE next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?`, formatTime(now), limit)
	if err != nil {
		return nil, mapError(fmt.Errorf("due lookups: %w", err))
	}
	return scanAll(rows, scanLookupJob)
}

func scanLookupJob(row rowScanner) (dsar.LookupJob, error) {
	var j dsar.LookupJob
	var requested, next string
	if err := row.Scan(&j.RequestID, &requested, &j.RequestedBy, &j.Attempts, &next, &j.LastError); err != nil {
		return j, err
	}
	var err1, err2 error
	j.RequestedAt, err1 = parseTime(requested)
	j.NextAttempt, err2 = parseTime(next)
	return j, errors.Join(err1, err2)
}

// PendingLookup returns the lookup waiting for a request, if any.
func (db *DB) PendingLookup(ctx context.Context, requestID string) (dsar.LookupJob, bool, error) {
	j, err := scanLookupJob(db.db.QueryRowContext(ctx, `
		SELECT request_id, requested_at, requested_by, attempts, next_attempt_at, last_error
		FROM lookup_jobs WHERE request_id = ?`, requestID))
	if errors.Is(err, sql.ErrNoRows) {
		return j, false, nil
	}
	return j, err == nil, err
}

// FinishLookup stores a lookup's snapshot, routes the request anew when the
// lookup shows activities it did not yet concern, and, when the lookup is
// complete, ends the job; an incomplete one stays, to run again at retry.
func (db *DB) FinishLookup(ctx context.Context, requestID string, l dsar.Lookup, routed dsar.Routing, retry time.Time) error {
	snap, err := marshalLookup(l)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO lookups (request_id, started_at, finished_at, complete, findings, snapshot) VALUES (?, ?, ?, ?, ?, ?)`,
			requestID, formatTime(l.StartedAt), formatTime(l.FinishedAt), l.Complete(), len(l.Findings), snap); err != nil {
			return mapError(fmt.Errorf("insert lookup: %w", err))
		}
		note := fmt.Sprintf("%d records found", len(l.Findings))
		if !l.Complete() {
			note += fmt.Sprintf("; %d problems, will retry", len(l.Problems))
		}
		if err := insertEvent(ctx, tx, dsar.Event{RequestID: requestID, At: l.FinishedAt, Actor: dsar.ActorSystem, Type: dsar.EventLookup, Note: note}); err != nil {
			return err
		}
		old, err := routing(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if len(routed) > 0 && !slices.Equal(old, routed) {
			if err := setRouting(ctx, tx, requestID, routed); err != nil {
				return err
			}
			if err := insertEvent(ctx, tx, dsar.Event{RequestID: requestID, At: l.FinishedAt, Actor: dsar.ActorSystem,
				Type: dsar.EventRouting, Note: routingSummary(routed)}); err != nil {
				return err
			}
		}
		if l.Complete() {
			_, err = tx.ExecContext(ctx, `DELETE FROM lookup_jobs WHERE request_id = ?`, requestID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE lookup_jobs SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE request_id = ?`,
				formatTime(retry), l.Problems[0].Instance+": "+l.Problems[0].Message, requestID)
		}
		if err != nil {
			return mapError(fmt.Errorf("update lookup job: %w", err))
		}
		return nil
	})
}
