package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// CreateRequest stores a new request with its public reference, its
// confirmation token and the confirmation mail. It fills r.Ref.
func (db *DB) CreateRequest(ctx context.Context, r *dsar.Request, confirm dsar.Token, render dsar.RenderMail) error {
	ev := dsar.Event{At: r.CreatedAt, Actor: dsar.ActorPerson, Type: dsar.EventStatus, To: r.Status,
		Note: "submitted via " + string(r.Channel)}
	// The mail is rendered here, in the caller's goroutine, with a stand-in
	// for the reference (dsar.RefStandIn); the intake writer numbers the
	// request, puts the number in the mail, and stores it with the others
	// that arrive meanwhile, in one transaction (groupcommit.go).
	confirm.RequestID = r.ID
	standIn := dsar.RefStandIn()
	r.Ref = standIn
	m, err := recoverRender(render)(*r, confirm)
	r.Ref = ""
	if err != nil {
		return fmt.Errorf("render mail: %w", err)
	}
	if !strings.Contains(m.Subject, standIn) {
		// The number could not be put in its place: better no request than
		// a mail without its reference.
		return errors.New("render mail: the subject does not carry the reference as given")
	}
	in := &intake{r: r, tok: confirm, ev: ev, mail: m, standIn: standIn}
	return db.submitIntake(ctx, in)
}

// recoverRender turns a panic of render into an error, so that a broken
// template fails its own request only (CreateRequest renders in the
// caller's goroutine, before the request joins a batch).
func recoverRender(render dsar.RenderMail) dsar.RenderMail {
	return func(r dsar.Request, tok dsar.Token) (m dsar.Mail, err error) {
		defer func() {
			if p := recover(); p != nil {
				err = fmt.Errorf("panic: %v", p)
			}
		}()
		return render(r, tok)
	}
}

// EnterRequest stores a request that staff entered from an email, a letter
// or a call: it is received at once, with its status token and the
// acknowledgment, and the entry is audited. It fills r.Ref.
func (db *DB) EnterRequest(ctx context.Context, r *dsar.Request, status dsar.Token, actor string, render dsar.RenderMail) error {
	ev := dsar.Event{At: r.CreatedAt, Actor: actor, Type: dsar.EventEntered, To: r.Status,
		Note: fmt.Sprintf("received by %s on %s", r.Channel, r.Clock.Start)}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := createRequest(ctx, tx, r, status, ev, render); err != nil {
			return err
		}
		if err := requestLookup(ctx, tx, r.ID, actor, r.CreatedAt); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: r.CreatedAt, Actor: actor, Action: dsar.EventEntered,
			RequestID: r.ID, Details: r.Ref + ": entered from " + string(r.Channel)})
	})
}

// createRequest stores a new request, its routing, its first event, the
// token its mail carries and that mail.
func createRequest(ctx context.Context, tx execer, r *dsar.Request, tok dsar.Token, ev dsar.Event, render dsar.RenderMail) error {
	ref, err := nextRef(ctx, tx, r.CreatedAt)
	if err != nil {
		return err
	}
	r.Ref = ref
	tok.RequestID = r.ID
	m, err := render(*r, tok)
	if err != nil {
		return fmt.Errorf("render mail: %w", err)
	}
	return insertNew(ctx, tx, r, tok, ev, m)
}

// insertNew stores a new request that has its reference, with its
// routing, ev (its first event), the token its mail carries and that mail.
func insertNew(ctx context.Context, tx execer, r *dsar.Request, tok dsar.Token, ev dsar.Event, m dsar.Mail) error {
	if err := insertNumbered(ctx, tx, r, ev); err != nil {
		return err
	}
	tok.RequestID = r.ID
	if err := insertToken(ctx, tx, tok, r.CreatedAt); err != nil {
		return err
	}
	return insertMail(ctx, tx, m, r.CreatedAt)
}

// insertNumbered stores r, which has its reference, with its routing and
// ev, its first event.
func insertNumbered(ctx context.Context, tx execer, r *dsar.Request, ev dsar.Event) error {
	if err := insertRequest(ctx, tx, r); err != nil {
		return err
	}
	if err := insertRoutes(ctx, tx, r.ID, r.Routing); err != nil {
		return err
	}
	ev.RequestID = r.ID
	return insertEvent(ctx, tx, ev)
}

// ConfirmRequest follows a confirmation link: the token is used up, the
// request becomes received and its clock starts, a status-page token is
// stored, and the acknowledgment is put in the outbox.
func (db *DB) ConfirmRequest(ctx context.Context, confirmHash string, status dsar.Token, now time.Time, render dsar.RenderMail) (dsar.Request, error) {
	var r dsar.Request
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if r, err = requestByToken(ctx, tx, confirmHash, dsar.TokenConfirm, now); err != nil {
			return err
		}
		ev, err := r.Confirm(now)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tokens SET used_at = ? WHERE hash = ?`, formatTime(now), confirmHash); err != nil {
			return fmt.Errorf("use token: %w", err)
		}
		if err := updateRequest(ctx, tx, r); err != nil {
			return err
		}
		if err := insertEvent(ctx, tx, ev); err != nil {
			return err
		}
		status.RequestID = r.ID
		if err := insertToken(ctx, tx, status, now); err != nil {
			return err
		}
		// The person proved their address: search Odoo for them at once,
		// so that staff find the results ready.
		if err := requestLookup(ctx, tx, r.ID, dsar.ActorSystem, now); err != nil {
			return err
		}
		m, err := render(r, status)
		if err != nil {
			return fmt.Errorf("render acknowledgment: %w", err)
		}
		return insertMail(ctx, tx, m, now)
	})
	return r, err
}

// RequestByToken returns the request a token opens, or why it cannot.
func (db *DB) RequestByToken(ctx context.Context, hash string, purpose dsar.TokenPurpose, now time.Time) (dsar.Request, error) {
	return requestByToken(ctx, db.db, hash, purpose, now)
}

// ExpireUnconfirmed closes every request whose confirmation link expired
// before now, purges its personal fields (in the request and in its mails),
// and returns their references.
func (db *DB) ExpireUnconfirmed(ctx context.Context, now time.Time) ([]string, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT r.id FROM requests r
		WHERE r.status = ? AND NOT EXISTS (
			SELECT 1 FROM tokens t WHERE t.request_id = r.id AND t.purpose = ? AND t.expires_at > ?)`,
		dsar.StatusAwaitingConfirmation, dsar.TokenConfirm, formatTime(now))
	if err != nil {
		return nil, fmt.Errorf("find unconfirmed requests: %w", err)
	}
	ids, err := scanStrings(rows)
	if err != nil {
		return nil, err
	}
	var refs []string
	for _, id := range ids {
		err := db.inTx(ctx, func(tx *sql.Tx) error {
			r, err := findRequest(ctx, tx, id)
			if err != nil {
				return err
			}
			ev, err := r.ExpireUnconfirmed(now)
			if err != nil {
				return err
			}
			if err := updateRequest(ctx, tx, r); err != nil {
				return err
			}
			if err := purgeMail(ctx, tx, r.ID, now); err != nil {
				return err
			}
			refs = append(refs, r.Ref)
			if err := insertEvent(ctx, tx, ev); err != nil {
				return err
			}
			return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: dsar.ActorSystem, Action: "request_expired",
				RequestID: r.ID, Details: r.Ref + ": not confirmed in time; personal fields purged"})
		})
		if err != nil && dsar.ErrorCode(err) != dsar.ECONFLICT {
			return refs, fmt.Errorf("expire request %s: %w", id, err)
		}
	}
	return refs, nil
}

// FindRequest returns the request with the given ID.
func (db *DB) FindRequest(ctx context.Context, id string) (dsar.Request, error) {
	return findRequest(ctx, db.db, id)
}

// FindRequestByRef returns the request with the given public reference.
func (db *DB) FindRequestByRef(ctx context.Context, ref string) (dsar.Request, error) {
	var id string
	err := db.db.QueryRowContext(ctx, `SELECT id FROM requests WHERE ref = ?`, ref).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Request{}, notFound("request")
	} else if err != nil {
		return dsar.Request{}, fmt.Errorf("find request %s: %w", ref, err)
	}
	return findRequest(ctx, db.db, id)
}

// RequestEvents returns a request's history, oldest first.
func (db *DB) RequestEvents(ctx context.Context, id string) ([]dsar.Event, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT id, request_id, at, actor, type, from_status, to_status, note
		FROM request_events WHERE request_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("request events: %w", err)
	}
	defer rows.Close()
	var evs []dsar.Event
	for rows.Next() {
		var ev dsar.Event
		var at, from, to string
		if err := rows.Scan(&ev.ID, &ev.RequestID, &at, &ev.Actor, &ev.Type, &from, &to, &ev.Note); err != nil {
			return nil, err
		}
		if ev.At, err = parseTime(at); err != nil {
			return nil, err
		}
		ev.From, ev.To = dsar.Status(from), dsar.Status(to)
		evs = append(evs, ev)
	}
	return evs, rows.Err()
}

// querier is what both *sql.DB and *sql.Tx offer.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func requestByToken(ctx context.Context, q querier, hash string, purpose dsar.TokenPurpose, now time.Time) (dsar.Request, error) {
	var tok dsar.Token
	var expires string
	var used sql.NullString
	err := q.QueryRowContext(ctx, `SELECT request_id, purpose, expires_at, used_at FROM tokens WHERE hash = ?`, hash).
		Scan(&tok.RequestID, &tok.Purpose, &expires, &used)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Request{}, dsar.ErrTokenUnknown
	} else if err != nil {
		return dsar.Request{}, fmt.Errorf("find token: %w", err)
	}
	if tok.ExpiresAt, err = parseTime(expires); err != nil {
		return dsar.Request{}, err
	}
	if err := tok.Check(purpose, now, used.Valid); err != nil {
		return dsar.Request{}, err
	}
	return findRequest(ctx, q, tok.RequestID)
}

const requestColumns = `id, ref, status, relationship, channel, lang,
	name, email, phone, shop_name, shop_town, rectify_wrong, rectify_correct, details,
	created_at, received_at, confirmed_at, clock_start, due_date, extended, extension_reason,
	paused_days, paused_since, closed_at, purged_at, kinds_mask,
	assignee_id, identity_verified_at, identity_method, denial_ground, denial_reason, outcome, shop_id`

// updateRequestSQL sets every column but the ID, in requestColumns order.
var updateRequestSQL = func() string {
	cols := strings.Split(requestColumns, ",")
	sets := make([]string, 0, len(cols)-1)
	for _, c := range cols[1:] {
		sets = append(sets, strings.TrimSpace(c)+" = ?")
	}
	return "UPDATE requests SET " + strings.Join(sets, ", ") + " WHERE id = ?"
}()

func insertRequest(ctx context.Context, tx execer, r *dsar.Request) error {
	args := requestArgs(*r)
	_, err := tx.ExecContext(ctx, `INSERT INTO requests (`+requestColumns+`, roles)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`, append(args, r.Routing.Mask())...)
	if err != nil {
		return mapError(fmt.Errorf("insert request: %w", err))
	}
	return nil
}

// updateRequest writes every mutable field of r. The kinds do not change.
func updateRequest(ctx context.Context, tx *sql.Tx, r dsar.Request) error {
	args := requestArgs(r)
	args = append(args[1:], r.ID)
	_, err := tx.ExecContext(ctx, updateRequestSQL, args...)
	if err != nil {
		return mapError(fmt.Errorf("update request %s: %w", r.Ref, err))
	}
	return nil
}

func requestArgs(r dsar.Request) []any {
	var due dsar.Date
	if r.ClockStarted() {
		due = r.Clock.Due()
	}
	return []any{r.ID, r.Ref, r.Status, r.Relationship, r.Channel, r.Lang,
		r.Name, r.Email, r.Phone, r.ShopName, r.ShopTown, r.RectifyWrong, r.RectifyCorrect, r.Details,
		formatTime(r.CreatedAt), formatTime(r.ReceivedAt), nullTime(r.ConfirmedAt),
		nullDate(r.Clock.Start), nullDate(due), r.Clock.Extended, r.ExtensionReason,
		r.Clock.PausedDays, nullTime(r.PausedSince), nullTime(r.ClosedAt), nullTime(r.PurgedAt), dsar.KindMask(r.Kinds),
		sql.NullInt64{Int64: r.AssigneeID, Valid: r.AssigneeID != 0}, nullTime(r.IdentityVerifiedAt), r.IdentityMethod,
		r.DenialGround, r.DenialReason, r.Outcome, sql.NullInt64{Int64: r.ShopID, Valid: r.ShopID != 0}}
}

func findRequest(ctx context.Context, q querier, id string) (dsar.Request, error) {
	var r dsar.Request
	var created, received string
	var confirmed, start, due, paused, closed, purged, verified sql.NullString
	var kindsMask int
	var assignee, shop sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT `+requestColumns+` FROM requests WHERE id = ?`, id).Scan(
		&r.ID, &r.Ref, &r.Status, &r.Relationship, &r.Channel, &r.Lang,
		&r.Name, &r.Email, &r.Phone, &r.ShopName, &r.ShopTown, &r.RectifyWrong, &r.RectifyCorrect, &r.Details,
		&created, &received, &confirmed, &start, &due, &r.Clock.Extended, &r.ExtensionReason,
		&r.Clock.PausedDays, &paused, &closed, &purged, &kindsMask,
		&assignee, &verified, &r.IdentityMethod, &r.DenialGround, &r.DenialReason, &r.Outcome, &shop)
	if errors.Is(err, sql.ErrNoRows) {
		return dsar.Request{}, notFound("request")
	} else if err != nil {
		return dsar.Request{}, fmt.Errorf("find request %s: %w", id, err)
	}
	var errs []error
	var e error
	r.CreatedAt, e = parseTime(created)
	errs = append(errs, e)
	r.ReceivedAt, e = parseTime(received)
	errs = append(errs, e)
	r.ConfirmedAt, e = scanNullTime(confirmed)
	errs = append(errs, e)
	r.Clock.Start, e = scanNullDate(start)
	errs = append(errs, e)
	r.PausedSince, e = scanNullTime(paused)
	errs = append(errs, e)
	r.ClosedAt, e = scanNullTime(closed)
	errs = append(errs, e)
	r.PurgedAt, e = scanNullTime(purged)
	errs = append(errs, e)
	r.IdentityVerifiedAt, e = scanNullTime(verified)
	errs = append(errs, e)
	r.AssigneeID, r.ShopID = assignee.Int64, shop.Int64
	if err := errors.Join(errs...); err != nil {
		return dsar.Request{}, fmt.Errorf("decode request %s: %w", id, err)
	}
	r.Kinds = dsar.KindsOfMask(kindsMask)
	if r.Routing, err = routing(ctx, q, id); err != nil {
		return dsar.Request{}, err
	}
	return r, nil
}

func insertEvent(ctx context.Context, tx execer, ev dsar.Event) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO request_events (request_id, at, actor, type, from_status, to_status, note)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		ev.RequestID, formatTime(ev.At), ev.Actor, ev.Type, ev.From, ev.To, ev.Note)
	if err != nil {
		return mapError(fmt.Errorf("insert event: %w", err))
	}
	return nil
}

func insertToken(ctx context.Context, tx execer, t dsar.Token, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		INSERT INTO tokens (hash, request_id, purpose, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		t.Hash, t.RequestID, t.Purpose, formatTime(now), formatTime(t.ExpiresAt))
	if err != nil {
		return mapError(fmt.Errorf("insert token: %w", err))
	}
	return nil
}

// rowScanner is what *sql.Row and *sql.Rows share.
type rowScanner interface{ Scan(...any) error }

// scanAll reads every row with scan, closes rows and reports the error that
// ended the iteration, if any.
func scanAll[T any](rows *sql.Rows, scan func(rowScanner) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

func scanStrings(rows *sql.Rows) ([]string, error) {
	return scanAll(rows, func(r rowScanner) (s string, err error) { return s, r.Scan(&s) })
}

// CountRequests returns how many requests are stored, whatever their status.
func (db *DB) CountRequests(ctx context.Context) (int, error) {
	var n int
	err := db.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM requests`).Scan(&n)
	return n, err
}

// CountRequestsByStatus returns how many requests are in each status.
func (db *DB) CountRequestsByStatus(ctx context.Context) (map[dsar.Status]int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM requests GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("count requests: %w", err)
	}
	defer rows.Close()
	out := map[dsar.Status]int{}
	for rows.Next() {
		var s dsar.Status
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// SimilarRequests returns the other requests filed with the same email
// address (any case) received since since, newest first.
func (db *DB) SimilarRequests(ctx context.Context, email, exceptID string, since time.Time) ([]dsar.QueueItem, error) {
	if strings.TrimSpace(email) == "" {
		return nil, nil
	}
	rows, err := db.db.QueryContext(ctx, `
		SELECT id FROM requests WHERE email_lc = ? AND id <> ? AND received_at >= ? ORDER BY received_at DESC LIMIT 20`,
		dsar.NormalizeEmail(email), exceptID, formatTime(since))
	if err != nil {
		return nil, fmt.Errorf("similar requests: %w", err)
	}
	ids, err := scanStrings(rows)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	return db.queueItems(ctx, ids)
}
