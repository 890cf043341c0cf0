package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// ChangeRequest applies an action to the request with the given reference
// in one transaction: it loads the request, lets change modify it, then
// stores the request, its events, an audit entry per event and the mails.
// Either all of it is stored or nothing is.
func (db *DB) ChangeRequest(ctx context.Context, ref, actor string, now time.Time, change func(r *dsar.Request) (dsar.Change, error)) (dsar.Request, error) {
	return db.changeRequest(ctx, ref, actor, now, change, nil)
}

// changeRequest is ChangeRequest with also, when not nil, run in the same
// transaction after the request is stored, for the rows that go with the
// change (a processor case).
func (db *DB) changeRequest(ctx context.Context, ref, actor string, now time.Time, change func(r *dsar.Request) (dsar.Change, error),
	also func(tx *sql.Tx) error) (dsar.Request, error) {
	var r dsar.Request
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var id string
		if err := tx.QueryRowContext(ctx, `SELECT id FROM requests WHERE ref = ?`, ref).Scan(&id); err == sql.ErrNoRows {
			return notFound("request")
		} else if err != nil {
			return fmt.Errorf("find request %s: %w", ref, err)
		}
		var err error
		if r, err = findRequest(ctx, tx, id); err != nil {
			return err
		}
		ch, err := change(&r)
		if err != nil {
			return err
		}
		if err := updateRequest(ctx, tx, r); err != nil {
			return err
		}
		if also != nil {
			if err := also(tx); err != nil {
				return err
			}
		}
		for _, ev := range ch.Events {
			if err := insertEvent(ctx, tx, ev); err != nil {
				return err
			}
			if err := appendAudit(ctx, tx, dsar.AuditEntry{At: ev.At, Actor: ev.Actor, Action: ev.Type,
				RequestID: r.ID, Details: auditDetails(r.Ref, ev)}); err != nil {
				return err
			}
		}
		for _, m := range ch.Mails {
			if err := insertMail(ctx, tx, m, now); err != nil {
				return err
			}
			ev := dsar.Event{RequestID: r.ID, At: now, Actor: actor, Type: dsar.EventMail, Note: m.Subject}
			if err := insertEvent(ctx, tx, ev); err != nil {
				return err
			}
		}
		return nil
	})
	return r, err
}

// auditDetails says what happened without the free text staff typed, which
// may hold personal data and stays in the request's own history.
func auditDetails(ref string, ev dsar.Event) string {
	if ev.Type == dsar.EventStatus || ev.From != "" {
		return fmt.Sprintf("%s: %s -> %s", ref, ev.From, ev.To)
	}
	return ref
}
