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

// SetShopAPI stores a shop's new API key hash and sealed callback secret.
func (db *DB) SetShopAPI(ctx context.Context, shopID int64, keyHash string, secret []byte, actor string, now time.Time) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE shops SET api_key_hash = ?, callback_secret = ? WHERE id = ?`, keyHash, secret, shopID)
		if err != nil {
			return mapError(err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("shop")
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: now, Actor: actor, Action: "shop_api_key", Details: fmt.Sprintf("shop #%d: new API key", shopID)})
	})
}

// ShopByAPIKey returns the active shop whose API key hashes to hash.
func (db *DB) ShopByAPIKey(ctx context.Context, hash string) (dsar.Shop, error) {
	if hash == "" {
		return dsar.Shop{}, notFound("shop")
	}
	s, err := scanShop(db.db.QueryRowContext(ctx, `SELECT `+shopColumns+` FROM shops WHERE api_key_hash = ? AND active = 1`, hash))
	return s, mapError(err)
}

// CreateAPIRequest stores a request a shop submitted through the API: the
// request itself, received at once (the shop, as controller, vouches for
// the person), its routing, a case already instructed, the API record, and
// a lookup to run. A subject_request_id the shop already used is refused.
func (db *DB) CreateAPIRequest(ctx context.Context, a *dsar.APIRequest, r *dsar.Request, c *dsar.Case, actor string) error {
	urls, err := json.Marshal(a.CallbackURLs)
	if err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		ref, err := nextRef(ctx, tx, r.CreatedAt)
		if err != nil {
			return err
		}
		r.Ref = ref
		if err := insertNumbered(ctx, tx, r, dsar.Event{At: r.CreatedAt, Actor: actor, Type: dsar.EventShop, To: r.Status,
			Note: fmt.Sprintf("submitted through the OpenDSR API (%s, %s)", a.Type, a.SubjectRequestID)}); err != nil {
			return err
		}
		c.RequestID = r.ID
		if err := insertCase(ctx, tx, c); err != nil {
			return err
		}
		a.RequestID = r.ID
		// The primary key (shop, subject_request_id) refuses an ID the shop
		// already used.
		_, err = tx.ExecContext(ctx, `INSERT INTO api_requests (subject_request_id, shop_id, request_id, request_type, callback_urls, received_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.SubjectRequestID, a.ShopID, r.ID, a.Type, string(urls), formatTime(a.ReceivedAt))
		if isUnique(err) {
			return dsar.Errorf(dsar.ECONFLICT, "duplicate subject_request_id")
		} else if err != nil {
			return mapError(fmt.Errorf("insert api request: %w", err))
		}
		if err := requestLookup(ctx, tx, r.ID, actor, r.CreatedAt); err != nil {
			return err
		}
		return appendAudit(ctx, tx, dsar.AuditEntry{At: r.CreatedAt, Actor: actor, Action: "api_request", RequestID: r.ID,
			Details: r.Ref + ": " + a.Type + " submitted through the API"})
	})
}

func scanAPIRequest(row rowScanner) (dsar.APIRequest, error) {
	var a dsar.APIRequest
	var urls, received string
	var cancelled sql.NullString
	if err := row.Scan(&a.SubjectRequestID, &a.ShopID, &a.RequestID, &a.Type, &urls, &received, &cancelled, &a.LastStatus); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return a, notFound("request")
		}
		return a, err
	}
	var errs [3]error
	errs[0] = json.Unmarshal([]byte(urls), &a.CallbackURLs)
	a.ReceivedAt, errs[1] = parseTime(received)
	a.CancelledAt, errs[2] = scanNullTime(cancelled)
	return a, errors.Join(errs[:]...)
}

const apiColumns = `subject_request_id, shop_id, request_id, request_type, callback_urls, received_at, cancelled_at, last_status`

// APIRequest returns a shop's API request by its subject_request_id.
func (db *DB) APIRequest(ctx context.Context, shopID int64, subjectID string) (dsar.APIRequest, error) {
	a, err := scanAPIRequest(db.db.QueryRowContext(ctx, `SELECT `+apiColumns+` FROM api_requests WHERE shop_id = ? AND subject_request_id = ?`, shopID, subjectID))
	return a, mapError(err)
}

// CancelAPIRequest cancels an API request and closes its request, if it is
// still pending (dsar.ErrNotPending otherwise), as read in the transaction
// that cancels it.
func (db *DB) CancelAPIRequest(ctx context.Context, a dsar.APIRequest, ref, actor string, now time.Time) error {
	_, err := db.changeRequest(ctx, ref, actor, now, func(r *dsar.Request) (dsar.Change, error) {
		if dsar.OpenDSRStatus(*r, a) != "pending" {
			return dsar.Change{}, dsar.ErrNotPending
		}
		ev, err := r.Complete("cancelled by the shop through the API", actor, now)
		return dsar.Change{Events: []dsar.Event{ev}}, err
	}, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE api_requests SET cancelled_at = ? WHERE shop_id = ? AND subject_request_id = ?`,
			formatTime(now), a.ShopID, a.SubjectRequestID)
		return mapError(err)
	})
	return err
}

// CallbackFunc renders the signed callbacks of an API request whose status
// changed.
type CallbackFunc func(a dsar.APIRequest, r dsar.Request, shop dsar.Shop, status string) ([]dsar.Mail, error)

// QueueCallbacks puts in the outbox, for every API request whose status
// differs from the one last called back, the signed callbacks to its
// URLs, and records the new status. It returns how many requests changed;
// a request that fails is left for the next run and does not stop the
// others.
// Those last called back as completed or cancelled are final (a closed
// request neither reopens nor can be cancelled) and are not read again:
// the job runs every few seconds and the table only grows.
func (db *DB) QueueCallbacks(ctx context.Context, now time.Time, render CallbackFunc) (int, error) {
	rows, err := db.db.QueryContext(ctx, `SELECT `+apiColumns+` FROM api_requests WHERE last_status NOT IN ('completed', 'cancelled')`)
	if err != nil {
		return 0, err
	}
	all, err := scanAll(rows, scanAPIRequest)
	if err != nil {
		return 0, err
	}
	n := 0
	var errs []error
	for _, a := range all {
		changed, err := db.queueCallback(ctx, a, now, render)
		if err != nil {
			// One request's failure (its shop's secret unreadable, say)
			// must not hold back the others' callbacks: it is tried again
			// at the next run.
			errs = append(errs, fmt.Errorf("callback of %s: %w", a.SubjectRequestID, err))
			if dsar.ErrorCode(err) == dsar.EUNAVAILABLE {
				break // the database is busy or full: the others would fail too
			}
			continue
		}
		if changed {
			n++
		}
	}
	return n, errors.Join(errs...)
}

// queueCallback queues a's callbacks if its status changed, and says
// whether it did.
func (db *DB) queueCallback(ctx context.Context, a dsar.APIRequest, now time.Time, render CallbackFunc) (bool, error) {
	r, err := db.FindRequest(ctx, a.RequestID)
	if err != nil {
		return false, err
	}
	status := dsar.OpenDSRStatus(r, a)
	if status == a.LastStatus {
		return false, nil
	}
	shop, err := db.Shop(ctx, a.ShopID)
	if err != nil {
		return false, err
	}
	msgs, err := render(a, r, shop, status)
	if err != nil {
		return false, err
	}
	err = db.inTx(ctx, func(tx *sql.Tx) error {
		for _, m := range msgs {
			if err := insertMail(ctx, tx, m, now); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `UPDATE api_requests SET last_status = ? WHERE shop_id = ? AND subject_request_id = ?`,
			status, a.ShopID, a.SubjectRequestID)
		return mapError(err)
	})
	return err == nil, err
}
