package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/vracoop/dsar/internal/dsar"
)

const caseColumns = `id, request_id, shop_id, state, forwarded_at, forward_due, shop_due, instruction, deliver_to,
	instructed_by, instructed_at, answer, reminded_at, done_at`

func scanCase(row rowScanner) (dsar.Case, error) {
	var c dsar.Case
	var fwd, fdue, sdue string
	var instructed, reminded, done sql.NullString
	if err := row.Scan(&c.ID, &c.RequestID, &c.ShopID, &c.State, &fwd, &fdue, &sdue, &c.Instruction, &c.DeliverTo,
		&c.InstructedBy, &instructed, &c.Answer, &reminded, &done); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return c, notFound("case")
		}
		return c, err
	}
	var errs [6]error
	c.ForwardedAt, errs[0] = parseTime(fwd)
	c.ForwardDue, errs[1] = dsar.ParseDate(fdue)
	c.ShopDue, errs[2] = dsar.ParseDate(sdue)
	c.InstructedAt, errs[3] = scanNullTime(instructed)
	c.RemindedAt, errs[4] = scanNullTime(reminded)
	c.DoneAt, errs[5] = scanNullTime(done)
	return c, errors.Join(errs[:]...)
}

// ForwardCase opens a processor case: the request goes to the shop, whose
// page the token opens; the mails (to the shop, to the person) and the
// request's move to "forwarded" are stored in the same transaction.
func (db *DB) ForwardCase(ctx context.Context, ref string, c *dsar.Case, tok dsar.Token, actor string, now time.Time,
	change func(r *dsar.Request) (dsar.Change, error)) error {
	_, err := db.changeRequest(ctx, ref, actor, now, func(r *dsar.Request) (dsar.Change, error) {
		ch, err := change(r)
		if err != nil {
			return ch, err
		}
		c.RequestID = r.ID
		return ch, nil
	}, func(tx *sql.Tx) error {
		err := insertCase(ctx, tx, c)
		if isUnique(err) {
			return dsar.Errorf(dsar.ECONFLICT, "the request was already forwarded to this shop")
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO case_tokens (hash, case_id, expires_at) VALUES (?, ?, ?)`,
			tok.Hash, c.ID, formatTime(tok.ExpiresAt))
		return mapError(err)
	})
	return err
}

// CaseByToken returns the case a shop's link opens.
func (db *DB) CaseByToken(ctx context.Context, hash string, now time.Time) (dsar.Case, error) {
	var id int64
	var expires string
	err := db.db.QueryRowContext(ctx, `SELECT case_id, expires_at FROM case_tokens WHERE hash = ?`, hash).Scan(&id, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Case{}, dsar.ErrTokenUnknown
	} else if err != nil {
		return dsar.Case{}, fmt.Errorf("case token: %w", err)
	}
	exp, err := parseTime(expires)
	if err != nil {
		return dsar.Case{}, err
	}
	if !now.Before(exp) {
		return dsar.Case{}, dsar.ErrTokenExpired
	}
	return scanCase(db.db.QueryRowContext(ctx, `SELECT `+caseColumns+` FROM shop_cases WHERE id = ?`, id))
}

// Cases returns the processor cases of a request.
func (db *DB) Cases(ctx context.Context, requestID string) ([]dsar.Case, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM shop_cases WHERE request_id = ? ORDER BY id`, requestID)
	if err != nil {
		return nil, fmt.Errorf("cases: %w", err)
	}
	return scanCases(rows)
}

// SaveCase stores a case's new state together with the change it causes
// to its request (events, mails, status), in one transaction.
func (db *DB) SaveCase(ctx context.Context, ref string, c dsar.Case, actor string, now time.Time,
	change func(r *dsar.Request) (dsar.Change, error)) error {
	_, err := db.changeRequest(ctx, ref, actor, now, change, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE shop_cases SET state = ?, instruction = ?, deliver_to = ?, instructed_by = ?,
			instructed_at = ?, answer = ?, reminded_at = ?, done_at = ? WHERE id = ?`,
			c.State, c.Instruction, c.DeliverTo, c.InstructedBy, nullTime(c.InstructedAt), c.Answer, nullTime(c.RemindedAt), nullTime(c.DoneAt), c.ID)
		return mapError(err)
	})
	return err
}

// UnansweredCases returns the cases forwarded before since that the shop
// has not answered and that were not reminded yet.
func (db *DB) UnansweredCases(ctx context.Context, since time.Time) ([]dsar.Case, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+caseColumns+` FROM shop_cases
		WHERE state = ? AND forwarded_at < ? AND reminded_at IS NULL`, dsar.CaseForwarded, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("unanswered cases: %w", err)
	}
	return scanCases(rows)
}

// insertCase stores c, a case of c.RequestID, and sets its ID.
func insertCase(ctx context.Context, tx *sql.Tx, c *dsar.Case) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO shop_cases (request_id, shop_id, state, forwarded_at, forward_due, shop_due,
		instruction, deliver_to, instructed_by, instructed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		c.RequestID, c.ShopID, c.State, formatTime(c.ForwardedAt), c.ForwardDue.String(), c.ShopDue.String(),
		c.Instruction, c.DeliverTo, c.InstructedBy, nullTime(c.InstructedAt))
	if err != nil {
		return mapError(fmt.Errorf("insert case: %w", err))
	}
	c.ID, err = res.LastInsertId()
	return err
}

// isUnique reports whether err is a violated UNIQUE or PRIMARY KEY
// constraint.
func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.ExtendedCode == sqlite3.ErrConstraintUnique || se.ExtendedCode == sqlite3.ErrConstraintPrimaryKey)
}

// ShopMailFunc renders a mail to a shop about a case.
type ShopMailFunc func(kind string, shop dsar.Shop, r dsar.Request, c dsar.Case, tok dsar.Token, what string) (dsar.Mail, error)

// RemindShops puts in the outbox a reminder to each shop that has not
// answered a case forwarded before since, once per case, with a fresh link
// (the first one's plain token is not kept). It returns how many it sent.
func (db *DB) RemindShops(ctx context.Context, since, now time.Time, render ShopMailFunc) (int, error) {
	cases, err := db.UnansweredCases(ctx, since)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, c := range cases {
		shop, err := db.Shop(ctx, c.ShopID)
		if err != nil {
			return sent, err
		}
		r, err := db.FindRequest(ctx, c.RequestID)
		if err != nil {
			return sent, err
		}
		var exp string
		if err := db.db.QueryRowContext(ctx, `SELECT MAX(expires_at) FROM case_tokens WHERE case_id = ?`, c.ID).Scan(&exp); err != nil {
			return sent, err
		}
		expires, err := parseTime(exp)
		if err != nil {
			return sent, err
		}
		tok, err := dsar.NewToken(r.ID, "shop", expires)
		if err != nil {
			return sent, err
		}
		m, err := render("reminder", shop, r, c, tok, "")
		if err != nil {
			return sent, err
		}
		c.RemindedAt = &now
		err = db.inTx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, `INSERT INTO case_tokens (hash, case_id, expires_at) VALUES (?, ?, ?)`, tok.Hash, c.ID, exp); err != nil {
				return mapError(err)
			}
			if _, err := tx.ExecContext(ctx, `UPDATE shop_cases SET reminded_at = ? WHERE id = ?`, formatTime(now), c.ID); err != nil {
				return mapError(err)
			}
			if err := insertMail(ctx, tx, m, now); err != nil {
				return err
			}
			return insertEvent(ctx, tx, dsar.Event{RequestID: r.ID, At: now, Actor: dsar.ActorSystem, Type: dsar.EventMail, Note: "reminder to " + shop.Name})
		})
		if err != nil {
			return sent, err
		}
		sent++
	}
	return sent, nil
}

func scanCases(rows *sql.Rows) ([]dsar.Case, error) { return scanAll(rows, scanCase) }
