package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/vracoop/dsar/internal/dsar"
)

// Outbox states.
const (
	mailPending   = "pending"
	mailSent      = "sent"
	mailFailed    = "failed"    // permanent failure: kept, shown in the log
	mailCancelled = "cancelled" // its request was purged before it could be sent
)

func insertMail(ctx context.Context, tx execer, m dsar.Mail, now time.Time) error {
	var reqID sql.NullString
	if m.RequestID != "" {
		reqID = sql.NullString{String: m.RequestID, Valid: true}
	}
	_, err := tx.ExecContext(ctx, `
		INSERT INTO outbox (request_id, to_addr, subject, text_body, html_body, created_at, next_attempt_at, kind, secret)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		reqID, m.To, m.Subject, m.Text, m.HTML, formatTime(now), formatTime(now), orDefault(m.Kind, dsar.MailKindMail), m.Secret)
	if err != nil {
		return mapError(fmt.Errorf("insert mail: %w", err))
	}
	return nil
}

// purgeMail removes the personal content of a request's mails, and the
// token or code a mail not yet redacted still holds. A mail not yet sent is
// cancelled: the link it carries has expired with the request.
func purgeMail(ctx context.Context, tx *sql.Tx, requestID string, now time.Time) error {
	_, err := tx.ExecContext(ctx, `
		UPDATE outbox SET to_addr = '', subject = '', text_body = '', html_body = '', secret = '',
			last_error = CASE WHEN state = ? THEN 'request purged before delivery' ELSE '' END,
			state = CASE WHEN state = ? THEN ? ELSE state END
		WHERE request_id = ?`, mailPending, mailPending, mailCancelled, requestID)
	if err != nil {
		return mapError(fmt.Errorf("purge mail: %w", err))
	}
	return nil
}

// DueMail returns up to limit pending mails whose next attempt is due at now,
// oldest first.
func (db *DB) DueMail(ctx context.Context, now time.Time, limit int) ([]dsar.Mail, error) {
	rows, err := db.db.QueryContext(ctx, `
		SELECT id, COALESCE(request_id, ''), to_addr, subject, text_body, html_body, created_at, attempts, kind
		FROM outbox WHERE state = ? AND next_attempt_at <= ?
		ORDER BY next_attempt_at, id LIMIT ?`, mailPending, formatTime(now), limit)
	if err != nil {
		return nil, mapError(fmt.Errorf("due mail: %w", err))
	}
	defer rows.Close()
	var out []dsar.Mail
	for rows.Next() {
		var m dsar.Mail
		var created string
		if err := rows.Scan(&m.ID, &m.RequestID, &m.To, &m.Subject, &m.Text, &m.HTML, &created, &m.Attempts, &m.Kind); err != nil {
			return nil, fmt.Errorf("scan mail: %w", err)
		}
		if m.CreatedAt, err = parseTime(created); err != nil {
			return nil, fmt.Errorf("scan mail %d: %w", m.ID, err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// NextMailAt returns when the earliest pending mail is due, or false when
// none is pending.
func (db *DB) NextMailAt(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullString
	err := db.db.QueryRowContext(ctx, `SELECT MIN(next_attempt_at) FROM outbox WHERE state = ?`, mailPending).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	t, err := parseTime(next.String)
	return t, err == nil, err
}

// The Mark functions change only a pending mail: one cancelled by a purge
// while it was being sent stays cancelled (and empty).

// MarkMailSent records that a mail was accepted by the mail server, and
// cuts the token or code it carried out of the copy kept: whoever reads
// the database later (staff, a backup) sees what was sent, not a working
// link. A mail that failed keeps it, for staff to act on.
func (db *DB) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	return db.setMailState(ctx, `
		UPDATE outbox SET state = ?, sent_at = ?, attempts = attempts + 1, last_error = '',
			text_body = replace(text_body, secret, ?), html_body = replace(html_body, secret, ?), secret = ''
		WHERE id = ? AND state = ?`,
		mailSent, formatTime(at), secretRemoved, secretRemoved, id, mailPending)
}

// secretRemoved takes the place of a sent mail's token or code.
const secretRemoved = "[effacé après envoi]"

// MarkMailRetry records a temporary failure and when to try again.
func (db *DB) MarkMailRetry(ctx context.Context, id int64, next time.Time, reason string) error {
	return db.setMailState(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = ?`,
		formatTime(next), reason, id, mailPending)
}

// MarkMailFailed records a permanent failure. The mail is kept, never
// dropped, so that staff can see it and act.
func (db *DB) MarkMailFailed(ctx context.Context, id int64, reason string) error {
	return db.setMailState(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1, last_error = ? WHERE id = ? AND state = ?`,
		mailFailed, reason, id, mailPending)
}

func (db *DB) setMailState(ctx context.Context, query string, args ...any) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return mapError(fmt.Errorf("update outbox: %w", err))
		}
		return nil
	})
}

// MailState returns the state, attempts and last error of one mail.
func (db *DB) MailState(ctx context.Context, id int64) (state string, attempts int, lastError string, err error) {
	err = db.db.QueryRowContext(ctx, `SELECT state, attempts, last_error FROM outbox WHERE id = ?`, id).
		Scan(&state, &attempts, &lastError)
	return state, attempts, lastError, err
}

// EnqueueMail puts a mail in the outbox on its own, for mail that no other
// change causes (such as reminders).
func (db *DB) EnqueueMail(ctx context.Context, m dsar.Mail, now time.Time) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := insertMail(ctx, tx, m, now); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT last_insert_rowid()`).Scan(&id)
	})
	return id, err
}
